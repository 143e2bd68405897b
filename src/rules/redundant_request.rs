//! redundant-request: asks the customer for data they already gave in the thread.
//!
//! What it does: finds the data a draft asks for (a sentence with a request — "please send",
//! «уточните», «изпратете» — or a question mark, naming a kind of data from
//! `rules/<lang>/data-kinds.toml`: order, tracking, ticket or account number, e-mail, phone,
//! name, address, login, link, screenshot or other attachment, device, OS, error text) and
//! looks for that kind among what the customer gave anywhere in the thread, quoted trails and
//! signatures included: reference numbers (their kind told by the words around them), e-mail
//! addresses, phones, links, codes of capitals and digits ("reference K7P2QX91"), attached
//! files and "I attached", device names, a name under a sign-off, "my username is ...". A
//! request that repeats the given value ("is 48213 the right order?") is a confirmation and
//! stays quiet, and so does a file that shows something else than the one the customer
//! attached ("I've attached the receipt" / "a photo of the crack", «фото чека» / «фото самого
//! чайника»). A data kind that the draft follows with its value («Контактный номер:
//! 07804688108»), names inside a link, or offers ("Would you like their phone number?", «Вам
//! нужен адрес?», `rules/<lang>/offer-cues.toml`) asks for nothing. The finding points at the
//! request, with a label on where the datum was given and the value in the help.
//!
//! Why: the customer has to repeat themselves and learns that nobody read the thread.
//! Seed 000: «Прежде чем запросить информацию, проверьте, нет ли ее в самом обращении».
//!
//! Bad:  customer "My order #48213 hasn't arrived." / draft "Please send your order number."
//! Good: draft "I checked order 48213: it left the warehouse today and arrives Friday."
//!
//! Options: none.

use rustc_hash::FxHashSet;

use crate::analysis::MessageAnalysis;
use crate::analysis::signals::{self, Given};
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct RedundantRequest;

impl Rule for RedundantRequest {
    fn id(&self) -> &'static str {
        "redundant-request"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "asks for data the customer already gave in the thread"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let lex = cx.lexicons(draft);
        let requests = signals::data_requests(draft, lex);
        if requests.is_empty() {
            return;
        }
        let mut given: Vec<Given> = Vec::new();
        let mut asked_before: Option<String> = None;
        for message in cx.earlier() {
            let message_lex = cx.lexicons(message);
            if message.role == crate::conversation::Role::Agent {
                asked_before = signals::single_requested_kind(message, message_lex);
                continue;
            }
            for datum in signals::given_data(message, message_lex) {
                let mut datum = datum.clone();
                // A bare number in answer to "what's your order number?" is that number.
                if datum.kind == "reference"
                    && let Some(kind) = &asked_before
                {
                    datum.kind = kind.clone();
                }
                given.push(datum);
            }
            asked_before = None;
        }
        let new_data = cx.lexicons(draft).new_data;
        // "I attached" gave nothing when the draft says the file did not arrive.
        let attachment_missing = draft
            .own_hits_of(cx.lexicons(draft).missing_attachment)
            .next()
            .is_some();
        if attachment_missing {
            given.retain(|g| !(g.kind == "screenshot" && g.value.is_none()));
        }
        let mut reported: FxHashSet<&str> = FxHashSet::default();
        for request in requests {
            let candidates: Vec<&Given> = given
                .iter()
                .filter(|g| signals::satisfies(g, &request.kind))
                .collect();
            let Some(&datum) = candidates.first() else {
                continue;
            };
            if !reported.insert(request.kind.as_str()) {
                continue;
            }
            let sentence = &draft.sentences[request.sentence];
            // "your NEW address", "the OTHER order": a different datum than the one given.
            let asks_for_other = draft.hits_of(new_data).any(|h| {
                h.words.end <= request.words.start
                    && h.words.end + 3 > request.words.start
                    && h.words.start >= sentence.words.start
            });
            // ...unless the customer gave the new one: "deliver to my new flat: 58 Rosemount".
            let asks_for_other = asks_for_other
                && !candidates.iter().any(|g| {
                    let given_in = &cx.analysis.messages[g.message];
                    given_in.sentences.iter().any(|s| {
                        s.original.start <= g.span.start
                            && g.span.start < s.original.end
                            && given_in
                                .hits_in_words(cx.lexicons(given_in).new_data, s.words.clone())
                                .next()
                                .is_some()
                    })
                });
            let confirms = candidates
                .iter()
                .any(|g| repeats_given_value(draft, sentence, g, cx));
            let another_file = request.kind == "screenshot"
                && candidates
                    .iter()
                    .all(|g| shows_something_else(draft, request, g, cx));
            if asks_for_other || confirms || another_file {
                continue;
            }
            let what = describe(&request.kind);
            let given_in = datum.message + 1;
            let mut finding = cx
                .diagnostic(
                    draft.words_span(request.words.clone()),
                    format!("asks for {what}, which the customer gave in message {given_in}"),
                )
                .with_help(match &datum.value {
                    Some(value) if value.chars().count() <= 60 => {
                        format!("use {value} from the thread")
                    }
                    _ => format!("use the {what} from message {given_in}"),
                });
            if datum.span.end > datum.span.start {
                finding = finding.with_label(datum.message, datum.span.clone(), "given here");
            }
            out.push(finding);
        }
    }
}

/// "I've attached the receipt" / "Could you send a photo of the crack?": the file asked for
/// shows something else than the one the customer said they attached, when both say what
/// they show.
fn shows_something_else(
    draft: &MessageAnalysis<'_>,
    request: &signals::DataRequest,
    given: &Given,
    cx: &Context<'_>,
) -> bool {
    if given.span.is_empty() {
        return false;
    }
    let customer = &cx.analysis.messages[given.message];
    let Some(given_sentence) = customer
        .sentences
        .iter()
        .find(|s| s.original.start <= given.span.start && given.span.start < s.original.end)
    else {
        return false;
    };
    let asked_end = (request.words.end + 6).min(draft.sentences[request.sentence].words.end);
    let asked = subject_stems(draft, cx, request.words.end..asked_end);
    let attached = subject_stems(customer, cx, given_sentence.words.clone());
    !asked.is_empty() && !attached.is_empty() && asked.is_disjoint(&attached)
}

/// The content stems of a run of words that are not file words ("photo", "screenshot"),
/// attachment cues or requests: what a file shows ("the receipt", «самого чайника»).
fn subject_stems<'m>(
    message: &'m MessageAnalysis<'_>,
    cx: &Context<'_>,
    words: std::ops::Range<usize>,
) -> FxHashSet<&'m str> {
    let lex = cx.lexicons(message);
    // A receipt or a serial number is what a file shows; "photo", "screenshot" is the file.
    let covered: Vec<std::ops::Range<usize>> = [
        lex.attachment,
        lex.data_kinds,
        lex.request,
        lex.customer_request,
    ]
    .into_iter()
    .flat_map(|id| message.hits_in_words(id, words.clone()))
    .filter(|h| Some(h.lexicon) != lex.data_kinds || lex.tag(h) == Some("screenshot"))
    .map(|h| h.words.clone())
    .collect();
    words
        .filter(|k| !covered.iter().any(|c| c.contains(k)))
        .filter_map(|k| message.words.get(k))
        .filter(|w| !w.function && w.shape.is_alphabetic() && w.shape.chars() >= 3)
        .map(|w| w.stem.as_str())
        .collect()
}

/// A request that repeats what was given ("order 48213 goes to 7 Mill Lane, right?") is a
/// confirmation: the draft sentence holds a number-bearing token of the given datum.
fn repeats_given_value(
    draft: &crate::analysis::MessageAnalysis<'_>,
    sentence: &crate::analysis::Sentence,
    datum: &Given,
    cx: &Context<'_>,
) -> bool {
    let given_text = match &datum.value {
        Some(value) => value.to_lowercase(),
        None => cx.analysis.messages[datum.message]
            .text_at(datum.span.clone())
            .to_lowercase(),
    };
    draft.words[sentence.words.clone()]
        .iter()
        .filter(|w| {
            w.norm.chars().count() >= 3
                && (w.norm.chars().any(|c| c.is_ascii_digit()) || w.norm.contains('@'))
        })
        .any(|w| given_text.contains(w.norm.as_str()))
}

fn describe(kind: &str) -> &str {
    match kind {
        "order" => "the order number",
        "tracking" => "the tracking number",
        "ticket" => "the reference number",
        "account" => "the account or contract number",
        "email" => "the e-mail address",
        "phone" => "the phone number",
        "name" => "the name",
        "address" => "the address",
        "login" => "the login",
        "link" => "the link",
        "screenshot" => "a screenshot or file",
        "device" => "the device",
        "os" => "the system or app version",
        "error" => "the error text",
        "card" => "the card number",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    fn fired(customer: &str, draft: &str) -> usize {
        crate::rules::testing::findings("redundant-request", customer, draft)
    }

    #[test]
    fn giving_or_offering_data_asks_for_none() {
        // The customer asks for a phone number; the draft gives one.
        assert_eq!(
            fired(
                "Мне нужен номер телефона и плата за вход.",
                "Их номер телефона 01223327978, вход бесплатный. Что-нибудь ещё?"
            ),
            0
        );
        assert_eq!(
            fired(
                "What's the phone number of the hotel?",
                "Would you like their phone number or the address as well?"
            ),
            0
        );
        // Words of a link are no request: ".../article/cant-login".
        assert_eq!(
            fired(
                "My login is anna.k and it stopped working.",
                "Sorry! Have you tried this? https://help.example.com/s/article/cant-login"
            ),
            0
        );
        // But an offer word before a request still leaves a request.
        assert_eq!(
            fired(
                "Мой номер телефона +7 916 555-12-34, перезвоните.",
                "Если хотите, пришлите номер телефона ещё раз."
            ),
            1
        );
    }

    #[test]
    fn a_booking_code_of_letters_and_digits_was_given() {
        assert_eq!(
            fired(
                "I have a booking, reference K7P2QX91, for 12 June. Could I add a night?",
                "Could you send me your booking reference?"
            ),
            1
        );
        // A quantity with its unit is no code.
        assert_eq!(
            fired(
                "My phone has 128GB and the app won't install.",
                "Could you send me your order number?"
            ),
            0
        );
    }

    #[test]
    fn a_file_showing_something_else_is_no_repeat() {
        let customer = "The jug arrived cracked. I've attached the receipt.";
        assert_eq!(
            fired(
                customer,
                "Sorry! Could you send a photo of the crack on the jug?"
            ),
            0
        );
        // The same file asked for again is.
        assert_eq!(
            fired(customer, "Sorry! Could you send a photo of the receipt?"),
            1
        );
        assert_eq!(
            fired(
                "My phone says No Service. I attached a screenshot.",
                "Could you send me a screenshot, please?"
            ),
            1
        );
    }

    #[test]
    fn the_agent_sending_is_no_request() {
        let customer = "Пришла только спинка от кресла, сиденья нет. Заказ 99-4412.";
        assert_eq!(
            fired(
                customer,
                "Сиденье отправим до пятницы, трек-номер пришлём в SMS."
            ),
            0
        );
        assert_eq!(fired(customer, "Пришлите, пожалуйста, номер заказа."), 1);
    }
}
