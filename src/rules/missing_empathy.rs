//! missing-empathy: the customer is clearly upset and the draft has no acknowledgement or apology at all.
//!
//! What it does: decides whether the customer's latest turn reads upset, from the shared
//! `upset` signal (complaint and anger words, "!!", shouting) plus the cues of
//! `rules/<lang>/distress.toml` (anger in so many words, repeated contact, urgent loss,
//! «в ярости», „за пореден път“); at least one cue must come from that lexicon, and a cue a
//! few words after a condition («если это невозможно», "if that's unavailable") supposes a
//! problem rather than reporting one, and does not count. When it
//! does, the draft must acknowledge it somewhere in the agent's own words
//! (`rules/<lang>/empathy.toml`: "sorry", "I understand how stressful", «извините»,
//! «понимаю», „съжаляваме“, „разбирам“); a formula such as "thank you for contacting us" does
//! not count. Whether a customer is upset is a guess from wording, so the rule reports at
//! `info` by default.
//!
//! Why: a customer who is angry or scared does not hear the fix until someone acknowledges
//! the problem. Seed 000: a reply should show the customer they were heard, and a
//! formulaic one «создаёт ощущение безразличия и сильно раздражает клиента».
//!
//! Bad:  customer "Third time I'm writing!! Nobody answers." / draft "Your order ships Monday."
//! Good: draft "I'm sorry you had to write three times. Your order ships on Monday."
//!
//! Options: none.

use crate::analysis::signals;
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct MissingEmpathy;

/// Score at which the rule speaks: one point above the shared threshold, because a polite
/// "when will I get my money back?" already scores two and needs no apology.
const UPSET_SCORE: usize = signals::UPSET_THRESHOLD + 1;

impl Rule for MissingEmpathy {
    fn id(&self) -> &'static str {
        "missing-empathy"
    }

    fn default_severity(&self) -> Severity {
        Severity::Info
    }

    fn summary(&self) -> &'static str {
        "no acknowledgement or apology to an upset customer (a guess from wording)"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        // Without a cue of this rule's own lexicon it stays quiet (see below): look for one
        // before weighing anything.
        let distress_somewhere = cx
            .latest_customer()
            .iter()
            .any(|m| m.own_hits_of(cx.lexicons(m).distress).next().is_some());
        if !distress_somewhere {
            return;
        }
        let mut score = 0;
        let mut distress_cues = 0;
        let mut cue: Option<(usize, std::ops::Range<usize>)> = None;
        for message in cx.latest_customer() {
            let lex = cx.lexicons(message);
            // "??": upset_score counts "!!" and "?!" only.
            if message.original.contains("??")
                && !["!!", "?!", "!?"]
                    .iter()
                    .any(|m| message.original.contains(m))
            {
                score += 1;
            }
            let (upset, first) = signals::upset_score(message, lex);
            score += upset;
            if let Some(span) = first {
                cue.get_or_insert((message.index, span));
            }
            // The upset hits with what the shared signal counted for each.
            let upset_words: Vec<(std::ops::Range<usize>, usize)> =
                signals::upset_hits(message, lex)
                    .into_iter()
                    .map(|h| (h.words.clone(), shared_upset_weight(lex.tag(h))))
                    .collect();
            let distress = cx.lexicons(message).distress;
            for hit in message
                .own_hits_of(distress)
                .filter(|h| !signals::only_supposed(message, lex, h))
            {
                distress_cues += 1;
                let weight: usize = match cx.pack(message).term(hit).tag.as_deref() {
                    Some("severe") => 3,
                    Some("strong") => 2,
                    _ => 1,
                };
                // Counted by the shared signal already: only what it adds. A cue the signal
                // tags "problem" counted nothing there ("в шоке"), a "weak" one one point
                // ("за четвърти път"), a "strong" one two.
                let counted = upset_words
                    .iter()
                    .filter(|(w, _)| w.start < hit.words.end && hit.words.start < w.end)
                    .map(|(_, counted)| *counted)
                    .max()
                    .unwrap_or(0);
                score += weight.saturating_sub(counted);
                cue.get_or_insert((message.index, message.words_span(hit.words.clone())));
            }
        }
        // The shared signal alone is not enough: "cancelled ... money back?" is a polite
        // question. One cue of this rule's own lexicon must be there.
        if score < UPSET_SCORE || distress_cues == 0 {
            return;
        }
        let empathy = cx.lexicons(draft).empathy;
        if draft.own_hits_of(empathy).next().is_some() {
            return;
        }
        let Some((_, first)) = draft.own_sentences().find(|(_, s)| !s.words.is_empty()) else {
            return;
        };
        let mut finding = cx
            .diagnostic(
                first.original.clone(),
                "the customer is upset and the draft does not acknowledge it",
            )
            .with_help("start by acknowledging the problem: \"I'm sorry you had to write again\"");
        if let Some((message, span)) = cue {
            finding = finding.with_label(message, span, "the customer is upset here");
        }
        out.push(finding);
    }
}

/// What the shared upset signal (`signals::upset_score`) counts for a hit of the `upset`
/// lexicon with this tag.
fn shared_upset_weight(tag: Option<&str>) -> usize {
    match tag {
        Some("strong") => 2,
        Some("weak") => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    fn fired(customer: &str, draft: &str) -> usize {
        crate::rules::testing::findings("missing-empathy", customer, draft)
    }

    #[test]
    fn a_supposed_problem_is_no_complaint() {
        assert_eq!(
            fired(
                "Мне нужно для 7 человек. Если это невозможно, то на 4 ночи, и нужен номер брони.",
                "Забронировал отель на 7 человек на 4 ночи, номер брони IUS007CM."
            ),
            0
        );
        // The same cue said outright is one.
        assert_eq!(
            fired(
                "Это невозможно! Третий раз пишу, никто не отвечает.",
                "Номер брони IUS007CM."
            ),
            1
        );
    }

    #[test]
    fn flags_a_dry_reply_to_an_angry_customer() {
        assert_eq!(
            fired(
                "This is the third time I'm writing!! Absolutely unacceptable.",
                "Your order ships on Monday."
            ),
            1
        );
    }

    #[test]
    fn a_cue_counts_what_the_shared_signal_left_out() {
        // «в шоке» counts nothing in the shared signal: its full weight here.
        assert_eq!(
            fired(
                "Я в шоке! С карты списали 12 000 за подписку, которую я не оформлял!",
                "Подписка оформлена 3 апреля с вашего аккаунта. Отменить её можно в профиле."
            ),
            1
        );
        // Writing for the fourth time: one point there, the rest here.
        assert_eq!(
            fired(
                "Пиша Ви за четвърти път! Токът спира всяка вечер.",
                "Екип ще провери съоръженията в района в четвъртък."
            ),
            1
        );
    }

    #[test]
    fn writing_again_without_an_ordinal() {
        assert_eq!(
            fired(
                "I've written three times already! Where is my money?!",
                "The refund was issued on 12 March and reaches you by 19 March."
            ),
            1
        );
        assert_eq!(
            fired(
                "Това е третият път, в който ви пиша! Къде са ми парите?!",
                "Сумата е преведена на 12 март и ще постъпи до 19 март."
            ),
            1
        );
        assert_eq!(
            fired(
                "Я уже писала вам на прошлой неделе! Где деньги?!",
                "Возврат оформлен 12 марта, деньги поступят до 19 марта."
            ),
            1
        );
    }

    #[test]
    fn an_apology_or_a_calm_customer_is_fine() {
        assert_eq!(
            fired(
                "This is the third time I'm writing!! Absolutely unacceptable.",
                "I'm sorry you had to write three times. Your order ships on Monday."
            ),
            0
        );
        assert_eq!(fired("When does my order ship?", "It ships on Monday."), 0);
    }
}
