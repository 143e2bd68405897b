//! overpromise: absolute guarantees the agent cannot keep ("I guarantee", "this will never happen again", "100%").
//!
//! What it does: finds absolute promises in the agent's own words (`rules/<lang>/overpromise.toml`):
//! "I guarantee", "it's guaranteed to", "I promise", "will never happen again", "no doubt
//! about it", «гарантирую», «больше никогда», «можете не сомневаться», „гарантирано“,
//! „никога повече“, „няма никакво съмнение“, and "100%" used as certainty ("100% safe",
//! "on time, 100%", «на 100%»), not as a measure ("100% cotton", "a 100-night trial"). A
//! sentence that declines to promise ("I can't guarantee a seat", «гарантировать не можем»)
//! stays quiet, and so do "we never ask for your PIN" (a policy, not a promise) and a
//! product's warranty ("a 2-year guarantee").
//!
//! Why: every statement to a customer is a promise, and an absolute one that the company
//! cannot control (a courier, a bank, an airline, the future) will be broken. Seed 004: every
//! piece of information given to a customer is a promise, and a wrong one breaks trust.
//!
//! Bad:  draft "I guarantee it will arrive tomorrow." / "This will never happen again."
//! Good: draft "It's with the courier and due tomorrow; if it isn't there by 6 pm, write to me
//!       and I'll chase it."
//!
//! Options: none.

use std::sync::OnceLock;

use crate::analysis::signals;
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

#[derive(Default)]
pub struct Overpromise {
    /// Each language's past forms of promising (the lexicon's term tagged `past`) in normal
    /// form, read from the linter's lexicon on first use.
    past: [OnceLock<Vec<String>>; 3],
}

impl Rule for Overpromise {
    fn id(&self) -> &'static str {
        "overpromise"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "absolute guarantees the agent cannot keep"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let Some(lexicon) = cx.lexicons(draft).overpromise else {
            return;
        };
        // Nothing to read without a hit or a "100%".
        if draft.hits_of(Some(lexicon)).next().is_none()
            && memchr::memchr(b'%', draft.original.as_bytes()).is_none()
        {
            return;
        }
        let pack = cx.pack(draft);
        let tag_of = |hit: &crate::lexicon::Hit| pack.term(hit).tag.as_deref().unwrap_or("");
        let quoted = signals::quotations(draft);
        // "I promised you an update", «мы обещали доставку к пятнице»: a promise told in the
        // past tense reports one, it makes none. The stemmer gives "promised" the stem of
        // "promise", so the past forms (the term tagged `past`) are compared as written.
        let past = self.past[draft.lang.index()].get_or_init(|| {
            pack.lexicon(lexicon)
                .phrases_tagged("past")
                .map(crate::analysis::normalize)
                .collect()
        });
        let told_in_the_past = |hit: &crate::lexicon::Hit| {
            draft.words[hit.words.clone()]
                .iter()
                .any(|w| past.iter().any(|p| *p == w.norm.as_str()))
        };
        let mut reported_sentences = Vec::new();
        for (index, sentence) in draft.own_sentences() {
            let hits: Vec<_> = signals::hits_in(draft, Some(lexicon), sentence)
                .filter(|h| {
                    let at = draft.words[h.words.start].original.start;
                    !quoted.iter().any(|q| q.contains(&at))
                })
                .collect();
            if hits.iter().any(|h| tag_of(h) == "negator") {
                continue;
            }
            let promise = hits
                .iter()
                .find(|h| tag_of(h) == "promise" && !told_in_the_past(h))
                .map(|h| draft.words_span(h.words.start..sentence.words.end));
            // "The money will arrive 100%, you can be sure": the span starts at whichever
            // comes first, so it covers the promise itself and not only its tail.
            let span = match (promise, certainty_percent(draft, sentence, &hits, pack)) {
                (Some(p), Some(c)) => Some(p.start.min(c.start)..p.end.max(c.end)),
                (p, c) => p.or(c),
            };
            if let Some(span) = span {
                reported_sentences.push(index);
                let written = draft.text_at(span.clone()).to_string();
                out.push(
                    cx.diagnostic(span, format!("`{written}` promises what the agent cannot guarantee"))
                        .with_help(
                            "say what you did and what usually happens, and what you will do if it doesn't",
                        ),
                );
            }
        }
    }
}

/// "100%" as certainty: at the end of a clause, before a word of certainty ("safe"), or after
/// a lead-in word («на 100%»). Not "100% cotton".
fn certainty_percent(
    draft: &crate::analysis::MessageAnalysis<'_>,
    sentence: &crate::analysis::Sentence,
    hits: &[&crate::lexicon::Hit],
    pack: &crate::lexicon::LanguagePack,
) -> Option<std::ops::Range<usize>> {
    let tag_of = |h: &crate::lexicon::Hit| pack.term(h).tag.as_deref().unwrap_or("");
    for i in sentence.words.clone() {
        let word = &draft.words[i];
        if word.norm != "100" {
            continue;
        }
        let rest = &draft.original[word.original.end..];
        let Some(after_percent) = rest.trim_start_matches(' ').strip_prefix('%') else {
            continue;
        };
        let next = after_percent.trim_start_matches(' ').chars().next();
        let ends_clause = next.is_none_or(|c| !c.is_alphanumeric());
        let certain_next = hits
            .iter()
            .any(|h| h.words.start == i + 1 && tag_of(h) == "certain");
        let lead = i > sentence.words.start
            && hits
                .iter()
                .any(|h| h.words.end == i && tag_of(h) == "percent-lead");
        if ends_clause || certain_next || lead {
            let end = word.original.end + (rest.len() - after_percent.len());
            return Some(word.original.start..end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    fn fired(draft: &str) -> usize {
        crate::rules::testing::findings(
            "overpromise",
            "Will my order arrive in time for Thursday?",
            draft,
        )
    }

    #[test]
    fn flags_absolute_promises() {
        assert_eq!(fired("I guarantee it will arrive tomorrow."), 1);
        assert_eq!(
            fired("It will be there at 10, 100% — no doubt about it."),
            1
        );
        assert_eq!(fired("I can assure you this will never happen again."), 1);
        assert_eq!(
            fired("Rest assured, it will be there at 10, no doubt about it."),
            1
        );
        assert_eq!(fired("It will 100% arrive before Thursday."), 1);
    }

    #[test]
    fn hedged_and_factual_statements_are_fine() {
        assert_eq!(
            fired("I can't guarantee a seat, but I've added a request."),
            0
        );
        assert_eq!(
            fired("It's 100% cotton and comes with a 2-year guarantee."),
            0
        );
        assert_eq!(fired("We never ask for your PIN by SMS."), 0);
    }

    #[test]
    fn keeping_an_earlier_promise_is_no_new_one() {
        assert_eq!(
            fired("As promised, here is the update: it left the depot."),
            0
        );
        assert_eq!(fired("As I promised, the refund left today."), 0);
        assert_eq!(fired("I promise it will be there on Thursday."), 1);
        assert_eq!(
            fired("I promised you an update today, so here it is: it left the depot."),
            0
        );
        assert_eq!(
            fired("Sorry, we promised delivery by Friday and didn't keep it."),
            0
        );
        let ru = |draft: &str| {
            crate::rules::testing::findings("overpromise", "Когда вернут деньги?", draft)
        };
        assert_eq!(
            ru("Как и обещала вчера, пишу с новостями: возврат оформлен."),
            0
        );
        assert_eq!(ru("Обещаю, что деньги придут завтра."), 1);
        assert_eq!(
            ru("Мы обещали доставку к пятнице и подвели вас, простите."),
            0
        );
        let bg = |draft: &str| {
            crate::rules::testing::findings("overpromise", "Кога ще ми върнете парите?", draft)
        };
        assert_eq!(
            bg("Както обещах, пиша Ви с новини: парите са преведени."),
            0
        );
    }
}
