//! dismissive-tone: blame, condescension or sarcasm toward the customer ("as I already told you", "not our problem").
//!
//! What it does: finds phrases that blame, belittle or mock the customer in the agent's own
//! words (`rules/<lang>/dismissive.toml`): "as I already told you", "you should have read the
//! terms", "that's not our problem", "it's really quite simple", "our drivers can't read
//! minds", «как я уже писал», «вы сами виноваты», «разберётся даже ребёнок», „както вече Ви
//! казах“, „това не е наш проблем“, „вината е изцяло Ваша“, «ну а чего вы хотели», "parcels
//! don't just walk off". „Трябваше да …“ (tag `should-have`) counts only when its verb is
//! the customer's („трябваше да я пазите“), not in an apology („Извинете, че трябваше да
//! чакате“) or about the company („трябваше да Ви се обадим“). Words in quotation marks are
//! skipped. Tone is a guess from wording, so the rule reports at `info` by default; raise it
//! with `[rules.dismissive-tone] severity = "warning"` once it suits your team.
//!
//! Why: a customer who is blamed or talked down to stops listening to the answer, and often
//! leaves. Seed 000: a reply should leave the customer feeling heard, not that the reply was
//! sent «для галочки»; seed 003 asks to stay polite and on the customer's side.
//!
//! Bad:  draft "As I already told you, the refund takes 5 days. You should have read the terms."
//! Good: draft "The refund takes up to 5 working days, so it should be with you by Friday."
//!
//! Options: none.

use crate::analysis::signals;
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct DismissiveTone;

impl Rule for DismissiveTone {
    fn id(&self) -> &'static str {
        "dismissive-tone"
    }

    fn default_severity(&self) -> Severity {
        Severity::Info
    }

    fn summary(&self) -> &'static str {
        "blame, condescension or sarcasm toward the customer (a guess from wording)"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let Some(lexicon) = cx.lexicons(draft).dismissive else {
            return;
        };
        let pack = cx.pack(draft);
        let quoted = signals::quotations(draft);
        // Every sentence with a dismissive phrase is reported, its span covering every such
        // phrase in it ("It's all explained in the guide and I don't see what's unclear"): a
        // draft that blames twice ("As stated on the page, ... Had you checked the guide,
        // ...") needs both sentences rewritten, not only the first.
        let mut found: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for hit in draft.own_hits_of(Some(lexicon)) {
            let span = draft.words_span(hit.words.clone());
            if quoted.iter().any(|q| q.contains(&span.start)) {
                continue;
            }
            let sentence = draft.words[hit.words.start].sentence;
            if pack.term(hit).tag.as_deref() == Some("should-have")
                && !reproaches_the_customer(cx, draft, hit.words.clone())
            {
                continue;
            }
            // "For the third time: no." is exasperation only where it opens the sentence;
            // inside one it is usually an apology ("sorry you wrote for the third time").
            if pack.term(hit).tag.as_deref() == Some("opener")
                && draft
                    .sentences
                    .get(sentence)
                    .is_some_and(|s| s.words.start != hit.words.start)
            {
                continue;
            }
            match found.last_mut() {
                Some((last, range)) if *last == sentence => {
                    range.end = range.end.max(span.end);
                }
                _ => found.push((sentence, span)),
            }
        }
        for (_, span) in found {
            let written = draft.text_at(span.clone());
            out.push(
                cx.diagnostic(
                    span,
                    format!("`{written}` reads as blaming or talking down to the customer"),
                )
                .with_help(
                    "state the facts and what happens next, without pointing at the customer",
                ),
            );
        }
    }
}

/// Short pronouns and particles that may stand between „трябваше да“ and its verb.
const CLITICS: &[&str] = &[
    "я", "го", "ги", "ѝ", "й", "им", "му", "ви", "ни", "ми", "ме", "те", "се", "си", "не",
];

/// Whether "should have" (a `should-have` phrase, „трябваше да“) points at the customer: its
/// verb, after any clitics, is the polite "you" form („трябваше да я пазите“, not „трябваше
/// да Ви се обадим“), and the sentence is no apology („Извинете, че трябваше да чакате“):
/// no apology or sympathy words in it, and no „че“/„задето“ before the phrase.
fn reproaches_the_customer(
    cx: &Context<'_>,
    draft: &crate::analysis::MessageAnalysis<'_>,
    phrase: std::ops::Range<usize>,
) -> bool {
    let sentence = &draft.sentences[draft.words[phrase.start].sentence];
    let verb = draft.words[phrase.end.min(sentence.words.end)..sentence.words.end]
        .iter()
        .find(|w| !CLITICS.contains(&w.norm.as_str()));
    if !verb.is_some_and(|w| w.norm.ends_with("те") && w.shape.chars() >= 4) {
        return false;
    }
    let excuse = draft.words[sentence.words.start..phrase.start]
        .iter()
        .any(|w| matches!(w.norm.as_str(), "че" | "задето" | "дето"));
    let lex = cx.lexicons(draft);
    let sorry = [lex.empathy, lex.apology]
        .into_iter()
        .any(|lexicon| signals::hits_in(draft, lexicon, sentence).next().is_some());
    !excuse && !sorry
}

#[cfg(test)]
mod tests {
    fn fired(draft: &str) -> usize {
        crate::rules::testing::findings("dismissive-tone", "So when does the refund arrive?", draft)
    }

    #[test]
    fn flags_blame() {
        assert_eq!(fired("As I already told you, it takes 5 days."), 1);
        assert_eq!(fired("You should have read the terms before booking."), 1);
    }

    #[test]
    fn exasperated_repetition_only_as_an_opener() {
        assert_eq!(fired("For the third time: the refund takes 5 days."), 1);
        assert_eq!(
            fired("Sorry you had to write for the third time: the refund takes 5 days."),
            0
        );
    }

    fn fired_bg(draft: &str) -> usize {
        crate::rules::testing::findings(
            "dismissive-tone",
            "Здравейте, може ли да върна якето без касовата бележка?",
            draft,
        )
    }

    #[test]
    fn should_have_only_when_it_points_at_the_customer() {
        assert_eq!(
            fired_bg("Без касова бележка не може. Трябваше да я пазите, пише го на етикета."),
            1
        );
        assert_eq!(
            fired_bg("Извинете, че трябваше да чакате. Без касова бележка връщане не е възможно."),
            0
        );
        assert_eq!(
            fired_bg("Трябваше да Ви се обадим още вчера. Връщане без бележка е възможно с карта."),
            0
        );
    }

    #[test]
    fn blame_in_other_word_orders() {
        assert_eq!(
            fired("Had you checked the size guide, this could have been avoided."),
            1
        );
        assert_eq!(
            fired("As stated clearly on the product page, it runs small."),
            1
        );
        let ru = |draft: &str| {
            crate::rules::testing::findings(
                "dismissive-tone",
                "Почему не применился промокод?",
                draft,
            )
        };
        assert_eq!(
            ru("Я же вам уже объяснила: промокод не действует на скидки."),
            1
        );
        assert_eq!(
            ru("Я вам уже говорил, что промокод не действует на скидки."),
            1
        );
        assert_eq!(fired_bg("Нали Ви казах, без касова бележка не може."), 1);
    }

    #[test]
    fn plain_facts_are_fine() {
        assert_eq!(
            fired("The refund takes up to 5 working days, so by Friday."),
            0
        );
    }
}
