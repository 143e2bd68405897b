//! shouting: ALL-CAPS words beyond acronyms, or runs of exclamation marks, in the draft.
//!
//! What it does: reports, once per run, words the agent wrote in capitals (a word of four
//! letters or more, or two capitalised words in a row such as "DO NOT", or a short word that is
//! never an abbreviation, tagged `loud` in `acronyms.toml`: "do NOT", «НЕ удаляйте») and runs of three or
//! more exclamation marks ("approved!!!"). Acronyms are not shouting: words of up to three
//! letters that are no everyday word (SMS, PIN, DHL, ИНН, «ГИС ГМП»; not "DO", «ВЫ»), codes
//! with digits (KX7P2M), a keyword to type after "the word", «словом», „с текст“ (tag
//! `keyword`: «отправьте словом БАЛАНС»), a word the draft itself quotes or puts in code
//! elsewhere («ПЕРЕВОД <номер> <сумма>», then ПЕРЕВОД 9161234567 500), a term the jargon
//! rule reports ("MPAN", „ПИКЕЕ“: one finding for one thing), the abbreviations
//! in `rules/<lang>/acronyms.toml` (IBAN, HDMI, ОСАГО, ЕООД), format masks of one repeated
//! letter (ДД.ММ.ГГГГ, YYYY), identifiers and Markdown code (`YOUR_API_KEY`), and any word the customer
//! wrote in capitals first (a brand like LEGO); so are capitals in another script than the
//! draft's (a Latin booking code or brand in a Russian reply). Template variables (`[CUSTOMER NAME]`,
//! `%ORDER_ID%`), text in quotation marks and quoted e-mail trails are left to other rules.
//!
//! Why: capitals and "!!!" read as raised voice, and a customer who is told "you MUST" feels
//! scolded. Seed 003: «Говорете с клиента на неговия език»; seed 000 counts a tone that
//! irritates the customer among the mistakes that drive half of them away.
//!
//! Bad:  draft "You MUST bring your photo ID. PLEASE UPDATE THE APP!!!"
//! Good: draft "Please bring your photo ID too: without it they can't hand the parcel over."
//!
//! Options: none. Add your own product's capitalised names to `acronyms.toml` in a lexicon
//! folder named in `replylint.toml`.

use rustc_hash::FxHashSet;
use std::ops::Range;

use crate::analysis::{is_letter, is_upper, signals};
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct Shouting;

impl Rule for Shouting {
    fn id(&self) -> &'static str {
        "shouting"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "ALL-CAPS words beyond acronyms, or runs of exclamation marks"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        // A word with a lower-case letter is not in capitals (most words of most drafts).
        let may_shout = |word: &crate::analysis::Word| {
            word.own
                && !word.shape.written_has_lowercase()
                && word.shape.chars() >= 2
                && word.shape.has_alphabetic()
        };
        if draft.words.iter().any(may_shout) {
            capitals(cx, out);
        }
        exclamation_runs(cx, out);
    }
}

/// Words in capitals, in runs of neighbours.
fn capitals(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let draft = cx.draft();
    let acronyms = cx.lexicons(draft).acronyms;
    let pack = cx.pack(draft);
    let tagged = |h: &&crate::lexicon::Hit, tag: &str| pack.term(h).tag.as_deref() == Some(tag);
    let loud_tag = |h: &&crate::lexicon::Hit| tagged(h, "loud");
    let acronym_words: FxHashSet<usize> = draft
        .hits_of(acronyms)
        .filter(|h| !loud_tag(h) && !tagged(h, "keyword"))
        .flat_map(|h| h.words.clone())
        .collect();
    // A term of the jargon lexicon in capitals ("MPAN", „ПИКЕЕ“) is an abbreviation, reported
    // by jargon: not a raised voice as well.
    let jargon_words: FxHashSet<usize> = draft
        .hits_of(cx.lexicons(draft).jargon)
        .flat_map(|h| h.words.clone())
        .collect();
    // The word right after "the word", «словом», „с текст“ is a keyword to type, written as
    // the service spells it: «отправьте словом БАЛАНС на 900».
    let keywords: FxHashSet<usize> = draft
        .hits_of(acronyms)
        .filter(|h| tagged(h, "keyword"))
        .map(|h| h.words.end)
        .collect();
    // Short words that are never abbreviations ("NOT", «НЕ», „САМО“): shouted alone.
    let loud_words: FxHashSet<usize> = draft
        .hits_of(acronyms)
        .filter(loud_tag)
        .flat_map(|h| h.words.clone())
        .collect();
    // Read only when the draft has a capitalised word: most drafts have none.
    let customer_caps = std::cell::OnceCell::new();
    let customer_caps = || -> &FxHashSet<&str> {
        customer_caps.get_or_init(|| {
            cx.customer_messages()
                .flat_map(|m| {
                    m.words
                        .iter()
                        .filter(|w| is_caps(m.text_at(w.original.clone())))
                        .map(|w| w.norm.as_str())
                })
                .collect()
        })
    };
    let mut skip: Vec<Range<usize>> = signals::quotations(draft).to_vec();
    skip.extend(
        signals::template_slots(draft)
            .iter()
            .map(|s| s.span.clone()),
    );
    skip.extend(code_spans(draft.original));
    let skipped = |word: &crate::analysis::Word| {
        skip.iter()
            .any(|r| r.start <= word.original.start && word.original.end <= r.end)
    };
    // A word the draft itself puts in quotation marks or code is a name or a command
    // («ПЕРЕВОД <номер> <сумма>»), and so is the same word elsewhere in it.
    let literal: FxHashSet<&str> = if skip.is_empty() {
        FxHashSet::default()
    } else {
        draft
            .words
            .iter()
            .filter(|w| !w.shape.written_has_lowercase() && skipped(w))
            .map(|w| w.norm.as_str())
            .collect()
    };

    // Capitalised words, grouped into runs of neighbours.
    let mut runs: Vec<(Range<usize>, usize, bool)> = Vec::new(); // (words, count, loud)
    for (i, word) in draft.words.iter().enumerate() {
        if word.shape.written_has_lowercase() {
            continue;
        }
        let written = draft.text_at(word.original.clone());
        if !word.own || !is_caps(written) || skipped(word) {
            continue;
        }
        // Code and masks: `=VALUE(`, `POST /v1/...`, `XXXX-XXXX`.
        let before = draft.original[..word.original.start].chars().next_back();
        let after = draft.original[word.original.end..].chars().next();
        let next_visible = draft.original[word.original.end..]
            .trim_start()
            .chars()
            .next();
        if matches!(before, Some('=' | '(' | '_' | '/'))
            || matches!(after, Some('(' | '_'))
            || next_visible == Some('/')
            || written.chars().all(|c| matches!(c, 'X' | 'Х' | '-'))
            || written.contains('_')
            || is_mask(written)
        {
            continue;
        }
        // Shouting is in the draft's own script: a Latin code or brand in a Russian
        // reply ("RTXKGIKH", "IKEA") is a name.
        let latin = written.chars().any(|c| c.is_ascii_alphabetic());
        if latin != (draft.lang == crate::language::Lang::En) {
            continue;
        }
        let letters = written.chars().filter(|c| c.is_alphabetic()).count();
        // A short word in capitals that is no everyday word (a pronoun, a preposition, "do",
        // «не») is an abbreviation even next to another: «ГИС ГМП», "ПАО МТС".
        let short_abbreviation = letters <= 3 && !word.function && !loud_words.contains(&i);
        let acronym = acronym_words.contains(&i)
            || jargon_words.contains(&i)
            || short_abbreviation
            || keywords.contains(&i)
            || written.chars().any(|c| c.is_ascii_digit())
            || literal.contains(word.norm.as_str())
            || customer_caps().contains(word.norm.as_str());
        let loud = !acronym && (letters >= 4 || loud_words.contains(&i));
        let joins = runs.last().is_some_and(|(r, _, _)| {
            r.end == i
                && draft.words[i - 1].sentence == word.sentence
                && draft.original[draft.words[i - 1].original.end..word.original.start]
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—'))
        });
        if joins {
            let (r, count, l) = runs.last_mut().expect("checked above");
            r.end = i + 1;
            if !acronym {
                *count += 1;
            }
            *l |= loud;
        } else {
            runs.push((i..i + 1, usize::from(!acronym), loud));
        }
    }
    for (words, count, loud) in runs {
        let code = draft.words[words.clone()]
            .iter()
            .any(|w| w.norm.chars().any(|c| c.is_ascii_digit()));
        if !code && (loud || count >= 2) {
            let span = draft.words_span(words);
            let written = draft.text_at(span.clone());
            out.push(
                cx.diagnostic(span, format!("`{written}` is written in capitals"))
                    .with_help("write it in ordinary case; if it matters, say why in words"),
            );
        }
    }
}

/// Runs of exclamation marks ("!!!", "!!1").
fn exclamation_runs(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let draft = cx.draft();
    let bytes = draft.original.as_bytes();
    let Some(mut i) = memchr::memchr(b'!', bytes) else {
        return;
    };
    while i < bytes.len() {
        if bytes[i] == b'!' {
            let start = i;
            while i < bytes.len() && matches!(bytes[i], b'!' | b'1' | b'?') {
                i += 1;
            }
            let run = &draft.original[start..i];
            if run.matches('!').count() >= 3 && !draft.mail.is_excluded(start) {
                let word_start = draft.original[..start]
                    .rfind(char::is_whitespace)
                    .map_or(0, |p| p + 1);
                out.push(
                    cx.diagnostic(word_start..i, format!("`{run}` reads as shouting"))
                        .with_help("one exclamation mark is enough"),
                );
            }
        } else {
            i += 1;
        }
    }
}

/// A format mask of repeated letters: `ДД.ММ.ГГГГ`, `DD/MM/YYYY`, `YYYY`.
fn is_mask(written: &str) -> bool {
    let mut longest = 0;
    for part in written.split(['.', '/', '-']) {
        let mut chars = part.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        if !first.is_alphabetic() || chars.clone().any(|c| c != first) {
            return false;
        }
        longest = longest.max(1 + chars.count());
    }
    longest >= 2
}

/// Byte ranges of Markdown code: fenced blocks and `inline code` (identifiers, commands).
pub(super) fn code_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if !text.contains('`') {
        return out;
    }
    let mut at = 0;
    while let Some(open) = text[at..].find('`').map(|p| p + at) {
        let fence = if text[open..].starts_with("```") {
            "```"
        } else {
            "`"
        };
        let from = open + fence.len();
        let Some(close) = text[from..].find(fence).map(|p| p + from) else {
            break;
        };
        // Inline code stays on one line; an unclosed backtick is not code.
        if fence == "`" && text[from..close].contains('\n') {
            at = from;
            continue;
        }
        out.push(open..close + fence.len());
        at = close + fence.len();
    }
    out
}

/// A word of at least two letters, all of them capitals.
fn is_caps(written: &str) -> bool {
    let mut letters = 0;
    for c in written.chars().filter(|&c| is_letter(c)) {
        if !is_upper(c) {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

#[cfg(test)]
mod tests {
    fn fired(customer: &str, draft: &str) -> usize {
        crate::rules::testing::findings("shouting", customer, draft)
    }

    #[test]
    fn a_code_after_its_label_is_typed_not_shouted() {
        assert_eq!(
            fired(
                "Забронируйте, пожалуйста, на пятницу.",
                "Готово. Регистрационный номер ДТОНИТИХ."
            ),
            0
        );
        assert_eq!(
            fired(
                "Any discount?",
                "Sure, use the promo code SPRINGTIME at checkout."
            ),
            0
        );
        // Not after a label, the same capitals are shouting.
        assert_eq!(
            fired("Any discount?", "There is NOTHING AVAILABLE right now."),
            1
        );
    }

    #[test]
    fn flags_capitals_and_bangs() {
        assert_eq!(fired("what do I need?", "You MUST bring your photo ID."), 1);
        assert_eq!(fired("any news?", "Your refund has been approved!!!"), 1);
        assert_eq!(fired("what now?", "Please DO NOT reply to that email."), 1);
        assert_eq!(fired("what now?", "Please do NOT reply to that email."), 1);
    }

    #[test]
    fn acronyms_and_placeholders_are_fine() {
        assert_eq!(
            fired(
                "how will I know?",
                "DHL will send you an SMS. Send us the IBAN, please. Dear [CUSTOMER NAME]!"
            ),
            0
        );
        assert_eq!(
            fired(
                "what format?",
                "Type the date as ДД.ММ.ГГГГ or DD/MM/YYYY. Use `Bearer YOUR_API_KEY` in the header."
            ),
            0
        );
        assert_eq!(
            fired(
                "is the LEGO set in stock?",
                "Yes, the LEGO set is in stock!"
            ),
            0
        );
    }

    #[test]
    fn abbreviations_and_keywords_are_fine() {
        assert_eq!(
            fired(
                "оплатил штраф, что дальше?",
                "Платёж ушёл в ГИС ГМП, обновление в базе займёт до 3 дней."
            ),
            0
        );
        assert_eq!(
            fired(
                "как узнать баланс?",
                "Отправьте СМС со словом БАЛАНС на номер 900."
            ),
            0
        );
        assert_eq!(
            fired(
                "как перевести по смс?",
                "Отправьте «ПЕРЕВОД <номер> <сумма>», например: ПЕРЕВОД 9161234567 500."
            ),
            0
        );
        assert_eq!(fired("what now?", "Please DO IT NOW."), 1);
        assert_eq!(fired("что делать?", "Отправьте СМС, а ПОТОМ позвоните."), 1);
    }
}
