//! formality-mismatch: ты and вы (ти and Вие) mixed in one draft, or ты/ти to a customer who writes formally.
//!
//! What it does: in Russian and Bulgarian drafts, finds forms of informal address (ты, тебе,
//! твой, 2nd-person singular verbs such as «можешь», «пиши», „можеш“, „обади се“) and of
//! polite address (вы, вам, ваш, «выберите», „Вие“, „Ви“, „можете“), listed in
//! `rules/<lang>/formality.toml`; the verb endings of the informal singular (`-ешь`, `-ишь`;
//! `-аш`, `-еш`, `-иш`) are listed there too. Forms are matched as written, not by stem, because
//! the stem of «пиши» is the stem of «пишите». It reports the first informal form when the
//! draft mixes both, or when the draft is informal and the customer writes formally and never
//! informally. A customer who writes «ты» answered with «ты» is fine, and so is «Вы» next to
//! «вы» (one polite form, two spellings); the ending of a numeral written in digits is no
//! pronoun („до 25-ти“, „1-ви“). Words in quotation marks (a quoted notification, a
//! setting called «на ты») and capitalised forms inside a sentence (a name such as „Ти Би
//! Ай“) are skipped. English has no T/V distinction: the rule never applies to it, and has
//! no English lexicon.
//!
//! Why: switching between ты and вы in one letter reads as careless, and ты to a customer who
//! wrote formally reads as disrespect. Seed 000 recommends noting for each customer whether
//! to address them as «вы» or «Вы».
//!
//! Bad:  draft «Выберите удобный тариф в приложении. Если что, можешь написать сюда.»
//! Good: draft «Выберите удобный тариф в приложении. Если что, напишите сюда.»
//!
//! Options: none.

use std::ops::Range;

use crate::analysis::{MessageAnalysis, Word, normalize, signals};
use crate::diagnostic::{Diagnostic, Severity};
use crate::language::Lang;
use crate::lexicon::{LanguagePack, LexiconId};

use super::{Context, Rule};

#[derive(Default)]
pub struct FormalityMismatch {
    /// The address forms of each language, read from the linter's lexicons on first use.
    forms: [std::sync::OnceLock<Forms>; 3],
}

impl Rule for FormalityMismatch {
    fn id(&self) -> &'static str {
        "formality-mismatch"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "informal and polite address mixed, or informal address to a formal customer (ru, bg)"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        if draft.lang == Lang::En {
            return;
        }
        let forms = self.forms[draft.lang.index()].get_or_init(|| Forms::of(cx.pack(draft)));
        if forms.is_empty() {
            return;
        }
        let (informal, formal) = forms.find(draft);
        let (Some(first), Some(last)) = (informal.first(), informal.last()) else {
            return;
        };
        let first_informal = first.start..last.end;
        let mixed = !formal.is_empty();
        let reason = if mixed {
            "mixes informal and polite address"
        } else {
            let mut customer_formal = false;
            let mut customer_informal = false;
            for message in cx.customer_messages().filter(|m| m.lang == draft.lang) {
                let (i, f) = forms.find(message);
                customer_informal |= !i.is_empty();
                customer_formal |= !f.is_empty();
            }
            if !customer_formal || customer_informal {
                return;
            }
            "uses informal address to a customer who writes formally"
        };
        let written = draft.text_at(first_informal.clone());
        out.push(
            cx.diagnostic(
                first_informal.clone(),
                format!("the draft {reason}: `{written}`"),
            )
            .with_help("keep to the polite form throughout (вы / Вие)"),
        );
    }
}

/// The address forms of one language, as written in `formality.toml`.
struct Forms {
    informal: Vec<Vec<String>>,
    formal: Vec<Vec<String>>,
    suffixes: Vec<String>,
    /// The last byte of every ending: a word that ends otherwise (most) has none of them.
    suffix_last_bytes: Vec<u8>,
    /// The polite and the informal forms (indices, in list order) by their first word: a
    /// word is compared only with the forms it can start.
    by_first_word: rustc_hash::FxHashMap<String, (Vec<usize>, Vec<usize>)>,
    /// The `formality` lexicon: a form matches its own stems there, so a word no hit of it
    /// covers starts no form (and the word set is not even asked).
    lexicon: Option<LexiconId>,
}

impl Forms {
    fn of(pack: &LanguagePack) -> Forms {
        let mut forms = Forms {
            informal: Vec::new(),
            formal: Vec::new(),
            suffixes: Vec::new(),
            suffix_last_bytes: Vec::new(),
            by_first_word: Default::default(),
            lexicon: pack.lexicon_id("formality"),
        };
        let Some(id) = forms.lexicon else {
            return forms;
        };
        for term in &pack.lexicon(id).terms {
            for phrase in &term.phrases {
                let words: Vec<String> = phrase.split_whitespace().map(normalize).collect();
                let first = words.first().cloned().unwrap_or_default();
                match term.tag.as_deref() {
                    Some("informal") => {
                        let index = forms.informal.len();
                        forms.by_first_word.entry(first).or_default().1.push(index);
                        forms.informal.push(words);
                    }
                    Some("formal") => {
                        let index = forms.formal.len();
                        forms.by_first_word.entry(first).or_default().0.push(index);
                        forms.formal.push(words);
                    }
                    Some("informal-ending") => forms
                        .suffixes
                        .push(normalize(phrase.trim_start_matches('-'))),
                    _ => {}
                }
            }
        }
        forms.suffix_last_bytes = forms
            .suffixes
            .iter()
            .filter_map(|suffix| suffix.as_bytes().last().copied())
            .collect();
        forms
    }

    fn is_empty(&self) -> bool {
        self.informal.is_empty() && self.formal.is_empty()
    }

    /// Original spans of informal and of polite forms in a message's own words.
    fn find(&self, message: &MessageAnalysis<'_>) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let quoted = signals::quotations(message);
        let counts = |word: &Word| {
            word.own
                && !quoted.iter().any(|q| q.contains(&word.original.start))
                && !numeral_suffix(message.original, word)
        };
        // Hits of one lexicon are in order and do not overlap.
        let mut covering = message
            .hits_of(self.lexicon)
            .map(|h| h.words.clone())
            .peekable();
        let mut informal = Vec::new();
        let mut formal = Vec::new();
        let mut endings = Vec::new();
        for (index, word) in message.words.iter().enumerate() {
            while covering.next_if(|hit| hit.end <= index).is_some() {}
            let covered = covering.peek().is_some_and(|hit| hit.start <= index);
            let may_end_informally = || {
                let norm = word.norm.as_bytes();
                norm.last()
                    .is_some_and(|last| self.suffix_last_bytes.contains(last))
                    && self.suffixes.iter().any(|s| ends_with(norm, s.as_bytes()))
            };
            // Most words are neither: nothing below could match them.
            if !covered && !may_end_informally() || !counts(word) {
                continue;
            }
            let starts = covered
                .then(|| self.by_first_word.get(word.norm.as_str()))
                .flatten();
            let may_start_a_form = starts.is_some();
            if !may_start_a_form && !may_end_informally() {
                continue;
            }
            let sentence_start = message.sentences[word.sentence].words.start == index;
            let capitalised = word.shape.written_starts_uppercase();
            let matches = |phrase: &Vec<String>| {
                phrase.iter().enumerate().all(|(k, p)| {
                    message
                        .words
                        .get(index + k)
                        .is_some_and(|w| counts(w) && w.norm == p)
                })
            };
            let span = |len: usize| message.words_span(index..index + len);
            let (formal_forms, informal_forms) = match starts {
                Some((formal, informal)) => (formal.as_slice(), informal.as_slice()),
                None => (&[][..], &[][..]),
            };
            if let Some(phrase) = formal_forms
                .iter()
                .map(|&i| &self.formal[i])
                .find(|p| matches(p))
            {
                formal.push(span(phrase.len()));
                continue;
            }
            // A capitalised informal form inside a sentence is a name ("Ти Би Ай Банк").
            if capitalised && !sentence_start {
                continue;
            }
            if let Some(phrase) = informal_forms
                .iter()
                .map(|&i| &self.informal[i])
                .find(|p| matches(p))
            {
                informal.push(span(phrase.len()));
            } else if may_end_informally() && word.shape.chars() >= 5 && word.shape.is_alphabetic()
            {
                endings.push(span(1));
            }
        }
        // A verb ending alone may be the generic "you" («когда печатаешь с телефона»): it
        // counts only in a draft with no polite form at all.
        if informal.is_empty() && formal.is_empty() {
            informal = endings;
        }
        (informal, formal)
    }
}

/// Whether a word is the ending of a numeral written with digits: Bulgarian ordinals
/// („до 25-ти“, „1-ви“, „2-ри“, „7-ми“) and Russian case endings («5-ти», «в 10-ти») are cut
/// off the digits by the word boundaries, and „ти“/„ви“ read as pronouns.
fn numeral_suffix(text: &str, word: &Word) -> bool {
    text.get(..word.original.start)
        .and_then(|before| before.strip_suffix(['-', '\u{2011}']))
        .is_some_and(|number| number.ends_with(|c: char| c.is_ascii_digit()))
}

/// `word.ends_with(suffix)`, compared inline: this runs on every word of every draft.
fn ends_with(word: &[u8], suffix: &[u8]) -> bool {
    word.len() >= suffix.len()
        && word[word.len() - suffix.len()..]
            .iter()
            .zip(suffix)
            .all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    fn fired(customer: &str, draft: &str) -> usize {
        crate::rules::testing::findings("formality-mismatch", customer, draft)
    }

    #[test]
    fn flags_mixed_address() {
        assert_eq!(
            fired(
                "Здравствуйте, подскажите, как сменить тариф?",
                "Здравствуйте! Выберите тариф в приложении. Если что, можешь написать сюда."
            ),
            1
        );
    }

    #[test]
    fn ordinals_are_no_pronouns() {
        assert_eq!(
            fired(
                "Добър ден, до кога трябва да платя сметката?",
                "Добър ден! Сметката се плаща до 25-ти, а показанията се отчитат между 1-ви и 5-ти."
            ),
            0
        );
        assert_eq!(
            fired(
                "Добър ден, до кога трябва да платя сметката?",
                "Добър ден! Сметката се плаща до 25-ти. Ако искаш, плати я и днес."
            ),
            1
        );
    }

    #[test]
    fn consistent_address_is_fine() {
        assert_eq!(
            fired(
                "привет, как сменить тариф? ты можешь помочь?",
                "Привет! Выбери тариф в приложении, и всё сменится завтра."
            ),
            0
        );
        assert_eq!(
            fired(
                "Can you help me change my plan?",
                "Sure, you can do it in the app."
            ),
            0
        );
    }
}
