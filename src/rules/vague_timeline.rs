//! vague-timeline: a promise to follow up or resolve with no concrete time frame ("we'll get back to you soon").
//!
//! What it does: finds vague time words in the agent's own words (`rules/<lang>/vague-timeline.toml`,
//! tag `vague`: "soon", "shortly", "ASAP", "in due course", "in the coming days", «в ближайшее
//! время», «в кратчайшие сроки», «на днях», „скоро“, „възможно най-скоро“, „при първа
//! възможност“) and reports them unless the same sentence gives a concrete frame ("soon —
//! usually within 5 minutes", «в ближайшие 30 минут»). A promise to get in touch (tag
//! `follow-up`: "we'll let you know", "someone will reach out", «сообщим дополнительно»,
//! „ще Ви се обадят“) is reported when neither its sentence nor the one before or after it
//! (in the same paragraph) names a time: a frame further off dates something else ("the
//! hotel usually confirms within 24 hours ... we'll let you know"). A concrete
//! frame is a named time (`time-frames.toml`: today, tomorrow, Friday, 16 May, «до конца
//! дня», „до края на деня“), a clock time (18:00, 4 pm), or a number with a unit ("within
//! 48 hours", «2 рабочих дня», „до 3 работни дни“). A wish (tag `wish`: "Hope it gets
//! resolved soon", «Надеемся, скоро всё заработает», „Дано скоро“), a condition ("if you
//! travel soon") and a question («Или вам подойдёт чуть позже?») promise nothing.
//!
//! Why: "soon" means an hour to the agent and a week to the customer, who then writes again.
//! Seed 000 asks to warn the customer about time frames in advance; seed 003 contrasts
//! «скоро ще получите отговор» with a reply that says when.
//!
//! Bad:  draft "I've flagged it with our returns team and we'll get back to you soon."
//! Good: draft "I've flagged it with our returns team; you'll have the refund by Friday, and
//!       I'll write to you on Thursday either way."
//!
//! Options: none.

use std::ops::Range;
use std::sync::OnceLock;

use crate::analysis::signals;
use crate::analysis::{MessageAnalysis, Sentence, normalize};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lexicon::{LanguagePack, LexiconId};

use super::{Context, Rule};

#[derive(Default)]
pub struct VagueTimeline {
    /// Each language's future markers, word by word in normal form, read from the linter's
    /// lexicon on first use.
    future: [OnceLock<Vec<Vec<String>>>; 3],
    /// Each language's vague-timeline phrases in normal form, term by term, for matching
    /// one-word hits as written without normalising the lexicon on every hit.
    written: [OnceLock<Vec<Vec<String>>>; 3],
}

impl Rule for VagueTimeline {
    fn id(&self) -> &'static str {
        "vague-timeline"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a promise to follow up or resolve with no concrete time frame"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let pack = cx.pack(draft);
        let Some(vague) = cx.lexicons(draft).vague_timeline else {
            return;
        };
        if draft.hits_of(Some(vague)).next().is_none() {
            return;
        }
        let frames = cx.lexicons(draft).time_frames;
        let written_phrases = self.written[draft.lang.index()].get_or_init(|| {
            pack.lexicon(vague)
                .terms
                .iter()
                .map(|t| t.phrases.iter().map(|p| normalize(p)).collect())
                .collect()
        });
        // One-word phrases match as written: the stem of "shortly" is "short", of «скоро» «скорее».
        let tag = |h: &crate::lexicon::Hit| {
            let term = pack.term(h);
            if h.words.len() == 1 {
                let written = &draft.words[h.words.start].norm;
                if !written_phrases[h.term].iter().any(|p| p == written) {
                    return "";
                }
            }
            term.tag.as_deref().unwrap_or("")
        };
        // Languages whose lexicon lists future markers need one next to a follow-up.
        // Matched as written, word by word: a longer phrase may hold the marker ("will reach out").
        let future = self.future[draft.lang.index()].get_or_init(|| {
            pack.lexicon(vague)
                .phrases_tagged("future")
                .map(|p| p.split_whitespace().map(normalize).collect())
                .collect()
        });
        let has_future = |sentence: &Sentence| {
            let words = &draft.words[sentence.words.clone()];
            future.iter().any(|phrase| {
                words
                    .windows(phrase.len().max(1))
                    .any(|w| w.iter().zip(phrase).all(|(word, p)| word.norm == p))
            })
        };
        // The first follow-up promise without a frame of its own, and its sentence.
        let mut follow_up: Option<(usize, Range<usize>)> = None;
        let mut reported = false;
        // Words in quotation marks are a name, not the agent's promise: a button called
        // «Сообщить о поступлении», a quoted "we'll get back to you soon".
        let quoted = signals::quotations(draft);
        for (index, sentence) in draft.own_sentences() {
            let hits: Vec<_> = signals::hits_in(draft, Some(vague), sentence)
                .filter(|h| {
                    let at = draft.words[h.words.start].original.start;
                    !quoted.iter().any(|q| q.contains(&at))
                })
                .collect();
            // A question offers or asks, it promises nothing: «Хотите самый ранний поезд или,
            // может быть, чуть позже?»
            if hits.is_empty() || sentence.question {
                continue;
            }
            let frames_at = frame_offsets(draft, pack, frames, sentence);
            // A condition is not a promise: "if you travel soon, switch roaming on"; nor is a
            // wish: "Hope it gets resolved soon!", «Надеемся, скоро всё заработает».
            let conditional = |h: &crate::lexicon::Hit| {
                hits.iter().any(|c| {
                    matches!(tag(c), "condition" | "wish")
                        && c.words.end <= h.words.start
                        && (same_clause(draft, c.words.end.saturating_sub(1), h.words.start)
                            // A sentence that opens with a wish is one, past its comma:
                            // «Надеемся, скоро всё заработает».
                            || tag(c) == "wish" && c.words.start == sentence.words.start)
                })
            };
            if let Some(hit) = hits.iter().find(|h| {
                tag(h) == "vague"
                    && !conditional(h)
                    && !frame_for(draft, &frames_at, h.words.clone())
            }) {
                let span = draft.words_span(hit.words.clone());
                let written = draft.text_at(span.clone());
                out.push(
                    cx.diagnostic(span.clone(), format!("`{written}` gives no time frame"))
                        .with_help("say when: a date, a time or a number of working days"),
                );
                reported = true;
            } else if frames_at.is_empty()
                && let Some(hit) = hits
                    .iter()
                    .find(|h| tag(h) == "follow-up" && !conditional(h))
                && (future.is_empty() || has_future(sentence))
            {
                // The promise runs to the end of its clause: in "we will contact you as soon
                // as we have an update" the vagueness is in the tail, which the finding
                // should show. A link ends it too ("keep you posted on https://...").
                let in_link = |w: usize| draft.in_link(draft.words[w].original.start);
                let end = sentence
                    .words
                    .clone()
                    .skip_while(|&w| w < hit.words.end)
                    .take_while(|&w| same_clause(draft, hit.words.start, w) && !in_link(w))
                    .last()
                    .map_or(hit.words.end, |w| w + 1);
                follow_up.get_or_insert((index, draft.words_span(hit.words.start..end)));
            }
        }
        // A frame next to the promise dates it ("We'll let you know. It usually takes two
        // days."); one further off dates something else ("the hotel usually confirms within
        // 24 hours ... we'll let you know").
        let dated_nearby = |index: usize| {
            let paragraph = draft.sentences[index].paragraph;
            [index.checked_sub(1), Some(index + 1)]
                .into_iter()
                .flatten()
                .filter_map(|i| draft.sentences.get(i))
                .any(|s| s.own && s.paragraph == paragraph && has_frame(draft, pack, frames, s))
        };
        if !reported
            && let Some((index, span)) = follow_up
            && !dated_nearby(index)
        {
            let written = draft.text_at(span.clone());
            out.push(
                cx.diagnostic(
                    span,
                    format!("`{written}` promises a follow-up without saying when"),
                )
                .with_help("say when you will write back, even if it is only to give an update"),
            );
        }
    }
}

/// Whether a sentence names a concrete time: a named day or date, a clock time, or a number
/// with a unit of time.
fn has_frame(
    message: &MessageAnalysis<'_>,
    pack: &LanguagePack,
    frames: Option<LexiconId>,
    sentence: &Sentence,
) -> bool {
    !frame_offsets(message, pack, frames, sentence).is_empty()
}

/// Where a sentence names a concrete time, as word indices: a named day or date, a clock time
/// (the word it starts in), or a number with a unit of time.
fn frame_offsets(
    message: &MessageAnalysis<'_>,
    pack: &LanguagePack,
    frames: Option<LexiconId>,
    sentence: &Sentence,
) -> Vec<usize> {
    let mut at = Vec::new();
    let text = message.sentence_text(sentence);
    // The clock time's last word: its colon is no clause break ("at 12:07 or a bit later").
    if let Some(offset) = clock_time(text) {
        let colon = text[offset..]
            .find([':', '.'])
            .map_or(offset, |c| offset + c);
        let plain = sentence.plain.start + colon + 1;
        if let Some(i) = sentence
            .words
            .clone()
            .find(|&i| message.words[i].plain.end > plain)
        {
            at.push(i);
        }
    }
    let hits: Vec<_> = signals::hits_in(message, frames, sentence).collect();
    for h in &hits {
        let concrete = match pack.term(h).tag.as_deref() {
            Some("point") => true,
            Some("unit") => {
                h.words.start > sentence.words.start && {
                    let before = &message.words[h.words.start - 1];
                    before.shape.has_ascii_digit()
                        || hits.iter().any(|n| {
                            n.words.end == h.words.start
                                && pack.term(n).tag.as_deref() == Some("number")
                        })
                }
            }
            _ => false,
        };
        if concrete {
            at.push(h.words.start);
        }
    }
    at
}

/// Whether one of a sentence's frames dates a vague phrase: a frame after it ("soon, usually
/// within 5 minutes"), or one before it in the same clause ("by Friday or sooner"). A frame
/// in an earlier clause dates something else ("it broke today, and we'll fix it soon").
fn frame_for(message: &MessageAnalysis<'_>, frames: &[usize], vague: Range<usize>) -> bool {
    frames
        .iter()
        .any(|&f| f >= vague.start || same_clause(message, f, vague.start))
}

/// Whether no clause break (comma, semicolon, colon, dash) stands between two words of a
/// sentence, the first before the second.
fn same_clause(message: &MessageAnalysis<'_>, first: usize, second: usize) -> bool {
    let (Some(a), Some(b)) = (message.words.get(first), message.words.get(second)) else {
        return false;
    };
    let between = message.text_at(a.original.end..b.original.start.max(a.original.end));
    !between.contains([',', ';', ':', '—', '–'])
}

/// "18:00", "9.30": where a clock time starts in a text, if it has one.
fn clock_time(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes.windows(4).enumerate().find_map(|(i, w)| {
        (w[0].is_ascii_digit()
            && (w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
                || w[1].is_ascii_digit()
                    && w[2] == b':'
                    && w[3].is_ascii_digit()
                    && (i == 0 || !bytes[i - 1].is_ascii_digit())))
        .then_some(i)
    })
}

#[cfg(test)]
mod tests {
    fn fired(draft: &str) -> usize {
        crate::rules::testing::findings(
            "vague-timeline",
            "Where is my refund? I returned the parka two weeks ago.",
            draft,
        )
    }

    #[test]
    fn wishes_and_questions_promise_nothing() {
        assert_eq!(fired("Sorry about that! Hope it gets resolved soon."), 0);
        assert_eq!(
            crate::rules::testing::findings(
                "vague-timeline",
                "Пропал альбом, вернётся ли он?",
                "Лицензия закончилась 1 марта. Надеемся, скоро снова появится!"
            ),
            0
        );
        assert_eq!(
            fired("Fingers crossed we'll be able to have it back soon!"),
            0
        );
        assert_eq!(
            fired(
                "The 05:00 train is the earliest. Or would something a bit later suit you? Maybe soon after lunch?"
            ),
            0
        );
        // A time before "or a bit later" in the same clause dates it.
        assert_eq!(
            crate::rules::testing::findings(
                "vague-timeline",
                "Забронируйте, пожалуйста, три билета.",
                "Готово: вы прибудете в 12:07 или чуть позже, оплата на вокзале."
            ),
            0
        );
        // The promise beside the wish is still one.
        assert_eq!(fired("Hope you're well. We'll get back to you soon."), 1);
    }

    #[test]
    fn flags_vague_promises() {
        assert_eq!(fired("I've flagged it and we'll get back to you soon."), 1);
        assert_eq!(
            fired("Someone from the returns team will reach out to you."),
            1
        );
    }

    #[test]
    fn concrete_frames_are_fine() {
        assert_eq!(fired("It should arrive soon, usually within 5 minutes."), 0);
        assert_eq!(
            fired("The refund reaches your card within 5 business days."),
            0
        );
        assert_eq!(fired("I'll email you by 8 pm today with the options."), 0);
        assert_eq!(fired("You'll have it by Friday or sooner."), 0);
        assert_eq!(fired("I'll call you back within an hour."), 0);
        assert_eq!(
            fired("Let me check and I'll get back to you in a minute."),
            0
        );
        let ru = |draft: &str| {
            crate::rules::testing::findings("vague-timeline", "Забронируете мне номер?", draft)
        };
        assert_eq!(
            ru("Я поработаю над бронированием и вернусь к вам через минуту."),
            0
        );
        assert_eq!(ru("Я поработаю над бронированием и вернусь к вам."), 1);
    }

    #[test]
    fn a_frame_in_an_earlier_clause_dates_something_else() {
        assert_eq!(
            fired("The fault started today, and our developers will fix it soon."),
            1
        );
    }

    #[test]
    fn a_follow_up_needs_a_frame_next_to_it() {
        assert_eq!(
            fired(
                "Refunds usually take up to 5 days. I've passed it to billing. They will review the case. We'll let you know."
            ),
            1
        );
        assert_eq!(
            fired("I've passed it to billing. We'll let you know by Friday."),
            0
        );
        assert_eq!(
            fired("I've passed it to billing and we'll let you know. It usually takes 2 days."),
            0
        );
    }

    #[test]
    fn a_follow_up_finding_covers_its_clause() {
        let draft =
            "It is still under review. We will contact you as soon as we have an update, thanks.";
        let found = crate::Linter::new().check(&crate::Conversation::new(vec![
            crate::Message::customer("When will I know the outcome of my dispute?"),
            crate::Message::agent(draft),
        ]));
        let finding = found
            .iter()
            .find(|d| d.rule == "vague-timeline")
            .expect("a finding");
        assert_eq!(
            &draft[finding.span.range()],
            "contact you as soon as we have an update"
        );
        let draft = "Nothing yet. We'll keep you posted on https://status.example.com/incidents/42 today or later.";
        let found = crate::Linter::new().check(&crate::Conversation::new(vec![
            crate::Message::customer("Is the outage fixed?"),
            crate::Message::agent(draft),
        ]));
        let finding = found.iter().find(|d| d.rule == "vague-timeline");
        assert!(finding.is_none_or(|f| !draft[f.span.range()].contains("https")));
    }

    #[test]
    fn conditions_and_farewells_are_not_promises() {
        assert_eq!(
            fired("If you travel soon, switch roaming on in the app."),
            0
        );
        assert_eq!(fired("Glad it's sorted! See you soon."), 0);
    }
}
