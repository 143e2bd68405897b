//! sensitive-data-request: asks for a password, full card number, CVV/CVC, PIN or one-time code, or contains a full card number.
//!
//! What it does: finds secrets named in a sentence of the draft that asks for something (a
//! request cue from `request-cues.toml` or `sensitive-data.toml`, or a question mark):
//! passwords, the full card number, CVV/CVC ("the three digits on the back"), PIN, SMS and
//! one-time codes, a photo of the card (`rules/<lang>/sensitive-data.toml`); a bare "the
//! code" counts when an asking phrase comes before it and the same or the previous sentence
//! says where it comes from (an SMS, a text, an authenticator app: «Я отправил вам СМС.
//! Продиктуйте код»), or when an asking phrase after it points back to it with a pronoun
//! («Я отправила вам сообщение с кодом — продиктуйте его мне»). A sentence that warns instead of asking ("we never ask for your PIN",
//! «не присылайте номер карты») stays quiet, and so does asking for the last four digits.
//! An instruction to type a secret in ("enter your password and tap Sign in", «введите
//! пароль из квитанции») stays quiet too, unless the same sentence asks to send it or says
//! it goes in the chat or the reply. A full card number (13–19 digits passing the Luhn
//! check) written in the draft itself is reported too.
//!
//! Why: a support chat or e-mail is no place for secrets: whoever reads the thread can use
//! them, and a customer taught to send them is easy prey for fraudsters. Seed 003 on
//! personal data: collect only the minimum you need.
//!
//! Bad:  draft "Please send the full card number and the CVV so I can find the payment."
//! Good: draft "Please send the last four digits of the card and the date of the payment."
//!
//! Options: none.

use crate::analysis::{EntityKind, signals};
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct SensitiveDataRequest;

impl Rule for SensitiveDataRequest {
    fn id(&self) -> &'static str {
        "sensitive-data-request"
    }

    fn default_severity(&self) -> Severity {
        Severity::Error
    }

    fn summary(&self) -> &'static str {
        "asks for a password, full card number, CVV, PIN or one-time code"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let lex = cx.lexicons(draft);
        let Some(sensitive) = cx.lexicons(draft).sensitive else {
            return;
        };
        let pack = cx.pack(draft);
        let tag = |h: &crate::lexicon::Hit| pack.term(h).tag.as_deref().unwrap_or("");
        let quoted = signals::quotations(draft);
        // Whether the sentence before named where a code comes from ("I've sent you a text.").
        let mut source_before = false;
        // A draft without a word of the lexicon (most) asks for no secret.
        let any_hit = draft.hits_of(Some(sensitive)).next().is_some();
        for (_, sentence) in draft.own_sentences().filter(|_| any_hit) {
            let hits: Vec<_> = signals::hits_in(draft, Some(sensitive), sentence)
                .filter(|h| {
                    let at = draft.words[h.words.start].original.start;
                    !quoted.iter().any(|q| q.contains(&at))
                })
                .collect();
            let source_here = hits.iter().any(|h| tag(h) == "code-source");
            // A bare "the code" is a one-time code only next to where it comes from: an
            // SMS, a text, an authenticator app, here or in the sentence before.
            let sourced = source_here || source_before;
            source_before = source_here;
            if hits.is_empty() || hits.iter().any(|h| tag(h) == "negator") {
                continue;
            }
            let asks = sentence.question
                || signals::has_hit(draft, lex.request, sentence)
                || hits.iter().any(|h| matches!(tag(h), "ask" | "ask-back"));
            if !asks {
                continue;
            }
            // "Enter your login and password, then tap Sign in", «Введите номер счёта и
            // пароль из квитанции»: an instruction to type it into a site, an app or a
            // terminal, unless the sentence also asks to send it or names the chat or the
            // reply as where it goes.
            let typed_elsewhere = hits.iter().any(|h| tag(h) == "enter")
                && !hits
                    .iter()
                    .any(|h| matches!(tag(h), "ask" | "ask-back" | "to-us"));
            if typed_elsewhere {
                continue;
            }
            let last_digits = hits.iter().any(|h| tag(h) == "safe");
            // A bare code is what is asked for only after an asking phrase of this lexicon:
            // "Кажете ми кода", not "Если код не приходил, напишите номер телефона".
            let first_ask = hits
                .iter()
                .filter(|h| tag(h) == "ask")
                .map(|h| h.words.start)
                .min();
            // «... сообщение с кодом — продиктуйте его»: the asking phrase points back to it.
            let last_ask_back = hits
                .iter()
                .filter(|h| tag(h) == "ask-back")
                .map(|h| h.words.start)
                .max();
            let Some(secret) = hits.iter().find(|h| {
                let t = tag(h);
                !(matches!(
                    t,
                    "ask" | "ask-back" | "negator" | "safe" | "code-source" | "enter" | "to-us"
                ) || last_digits && t == "card-number"
                    || t == "code-word"
                        && !(sourced
                            && (first_ask.is_some_and(|a| a < h.words.start)
                                || last_ask_back.is_some_and(|a| a > h.words.start))))
            }) else {
                continue;
            };
            let written = draft.text_at(draft.words_span(secret.words.clone()));
            let span = sentence.original.clone();
            out.push(
                cx.diagnostic(span, format!("asks the customer for `{written}`, a secret"))
                    .with_help(
                        "never ask for secrets in a message: ask for the last four digits or the payment date, or send a secure link",
                    ),
            );
            return;
        }
        // A full card number: a Luhn-valid one, or sixteen digits grouped like a card's.
        let card = draft
            .entities
            .iter()
            .find(|e| e.own && e.kind == EntityKind::CardNumber)
            .map(|e| e.original.clone())
            .or_else(|| {
                // Sixteen digits at least, or the pattern need not even be compiled.
                // Counted 32 bytes at a time into a byte (vector compares and adds), not
                // a branch a byte.
                let digits: usize = draft
                    .original
                    .as_bytes()
                    .chunks(32)
                    .map(|chunk| {
                        chunk
                            .iter()
                            .fold(0u8, |n, b| n + u8::from(b.wrapping_sub(b'0') < 10))
                    })
                    .map(usize::from)
                    .sum();
                if digits < 16 {
                    return None;
                }
                card_shape()
                    .find_iter(draft.original)
                    .find(|m| !draft.mail.is_excluded(m.start()))
                    .map(|m| m.range())
            });
        if let Some(card) = card {
            out.push(
                cx.diagnostic(card, "the draft contains a full card number")
                    .with_help("show only the last four digits: •••• 1234"),
            );
        }
    }
}

fn card_shape() -> &'static regex::Regex {
    static CELL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        regex::Regex::new(r"(?-u:\b)[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{4}(?-u:\b)")
            .expect("card shape pattern is valid")
    })
}

#[cfg(test)]
mod tests {
    fn fired(draft: &str) -> usize {
        crate::rules::testing::findings(
            "sensitive-data-request",
            "I was charged twice, can you refund one payment?",
            draft,
        )
    }

    #[test]
    fn flags_requests_for_secrets_and_card_numbers() {
        assert_eq!(fired("Please send me the full card number and the CVV."), 1);
        assert_eq!(fired("Your card 4111 1111 1111 1111 was charged twice."), 1);
    }

    #[test]
    fn a_bare_code_counts_next_to_its_source() {
        assert_eq!(
            fired("I've just texted you. Please tell me the code so I can confirm it's you."),
            1
        );
        assert_eq!(fired("Please tell me the code on the parcel label."), 0);
    }

    #[test]
    fn typing_a_secret_into_a_site_is_no_request_for_it() {
        assert_eq!(
            fired("Please enter your account number and password, then tap Continue."),
            0
        );
        assert_eq!(
            fired("Please enter your password in the chat so I can log in."),
            1
        );
        assert_eq!(
            fired("Please enter the code from the SMS and tell me the code as well."),
            1
        );
    }

    #[test]
    fn last_four_digits_and_warnings_are_fine() {
        assert_eq!(fired("Please send me the last four digits of the card."), 0);
        assert_eq!(
            fired("We never ask for your PIN, so please don't share it."),
            0
        );
        // The secret is what may fail, not what is asked for.
        assert_eq!(
            fired("If the password doesn't work, write to me and I'll send you a new one."),
            0
        );
    }
}
