//! pushy-upsell: pitches a product, upgrade or promotion to an unhappy customer, instead of the answer, or unrelated to the request.
//!
//! What it does: finds sales wording in the draft (`rules/<lang>/promo.toml`: upgrades,
//! subscriptions, discounts and promo codes, cross-sells). It stays quiet when the customer
//! asked about such an offer themselves, and when the "offer" is goodwill compensation that
//! asks nothing of the customer (`goodwill.toml`: "we've refunded the delivery fee", "a
//! credit on us") unless it needs a new purchase ("20% off your next order"). Product words
//! ("upgrade", "subscription") count as a pitch only with sales talk in the same sentence
//! ("why not", "for only", "did you know", or "by the way" next to a higher plan): a bill
//! that explains a Premium charge is not one, and goodwill wording does not shelter a
//! sentence with explicit sales talk (an aside that brings up a higher plan is such talk). A
//! pitch sentence never counts as the answer. It reports the pitch when the customer has a
//! problem (complaint or anger words, repeated contact, shouting, a reported fault, or a
//! draft that apologises), when it comes before the answer to their question, when it is all
//! the draft says in reply to a question, or when it is unrelated to anything they wrote.
//!
//! Why: a sales pitch to a dissatisfied customer reads as not listening, and makes things
//! worse. Seed 000 names a promo sent to a dissatisfied customer as a typical mistake.
//!
//! Bad:  customer "Third time my internet drops this week!!" / draft "Sorry about that!
//!       Upgrade to Fiber Max for just $10 more and enjoy faster speeds."
//! Good: draft "Sorry — I see three drops on your line since Monday. A technician will
//!       check it tomorrow between 9 and 12."
//!
//! Options: none.

use rustc_hash::FxHashSet;

use crate::analysis::signals;
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct PushyUpsell;

impl Rule for PushyUpsell {
    fn id(&self) -> &'static str {
        "pushy-upsell"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "sales pitch to an unhappy customer, before the answer, or unrelated to the request"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let lex = cx.lexicons(draft);
        let goodwill = cx.lexicons(draft).goodwill;
        // Product words ("upgrade", "subscription") are a pitch only next to sales talk in the
        // same sentence; "discount" or "why not try" are sales talk themselves.
        // An aside ("by the way", «кстати», „между другото“) that brings up a higher plan is
        // sales talk too; an aside about a subscription or an accessory may be plain help
        // ("by the way, your subscription renews on the 5th").
        let sales_talk = |sentence: &crate::analysis::Sentence, aside: bool| {
            signals::hits_in(draft, lex.promo, sentence).any(|h| match lex.tag(h) {
                Some("discount" | "pitch") => true,
                Some("aside") => aside,
                _ => false,
            })
        };
        let is_pitch = |hit: &&crate::lexicon::Hit| match lex.tag(hit) {
            Some("discount" | "pitch") => true,
            Some("aside") => false,
            tag => sales_talk(
                &draft.sentences[draft.words[hit.words.start].sentence],
                tag == Some("upgrade"),
            ),
        };
        let pitches: Vec<_> = draft.own_hits_of(lex.promo).filter(is_pitch).collect();
        if pitches.is_empty() {
            return;
        }
        let pitch_sentences: FxHashSet<usize> = pitches
            .iter()
            .map(|h| draft.words[h.words.start].sentence)
            .collect();
        // The customer asked about offers, plans or discounts themselves.
        let mut customer_stems: FxHashSet<&str> = FxHashSet::default();
        for message in cx.customer_messages() {
            let customer_lex = cx.lexicons(message);
            // Asked about offers: sales words or plan/discount topics in a question or request
            // of theirs ("is there a cheaper plan?"), not a plan merely mentioned.
            // A request to cancel their own subscription names a plan without asking
            // about offers ("please cancel my subscription").
            let asked_about_offers = signals::questions(message, customer_lex).iter().any(|q| {
                let sentence = &message.sentences[q.sentence];
                let concept = |tags: &[&str]| {
                    signals::hits_in(message, customer_lex.concepts, sentence)
                        .any(|h| customer_lex.tag(h).is_some_and(|t| tags.contains(&t)))
                };
                // Sales words in the question, or in the sentence it stands for ("... a
                // discount code. Can I?").
                let sales_words = message.own_hits_of(customer_lex.promo).any(|h| {
                    matches!(customer_lex.tag(h), Some("discount" | "pitch"))
                        && (message.words[h.words.start].sentence == q.sentence
                            || message.words[h.words.clone()]
                                .iter()
                                .any(|w| q.content.contains(w.stem.as_str())))
                });
                sales_words
                    || concept(&["discount"])
                    || (!concept(&["cancel"])
                        && (signals::has_hit(message, customer_lex.promo, sentence)
                            || concept(&["plan"])))
            });
            if asked_about_offers {
                return;
            }
            customer_stems.extend(message.own_words().map(|w| w.stem.as_str()));
        }
        // The customer has a problem: they are upset, they report one, or the draft itself
        // apologises for it.
        let apologises = draft
            .own_hits_of(cx.lexicons(draft).apology)
            .next()
            .is_some();
        let upset = apologises
            || cx.customer_upset().is_some()
            || cx
                .latest_customer()
                .iter()
                .any(|m| signals::reports_problem(m, cx.lexicons(m)));
        let question_stems: FxHashSet<&str> = cx
            .latest_customer()
            .iter()
            .flat_map(|m| signals::questions(m, cx.lexicons(m)))
            .flat_map(|q| q.content.iter().map(|s| s.as_str()))
            .collect();
        // A pitch does not answer the question, even when it shares its words.
        let first_answer = draft.own_sentences().find(|(index, s)| {
            !pitch_sentences.contains(index)
                && draft
                    .content_stems(s.words.clone())
                    .any(|stem| question_stems.contains(stem))
        });
        // Nothing but greetings and the pitch: the pitch stands in for the answer.
        let mut substance = draft
            .own_sentences()
            .filter(|(_, s)| !signals::is_small_talk(draft, lex, s))
            .peekable();
        let replaces_answer = !question_stems.is_empty()
            && substance.peek().is_some()
            && substance.all(|(index, _)| pitch_sentences.contains(&index));

        for hit in pitches {
            let sentence_index = draft.words[hit.words.start].sentence;
            let sentence = &draft.sentences[sentence_index];
            let needs_purchase = signals::hits_in(draft, lex.promo, sentence).any(|h| {
                let phrase = draft.words[h.words.clone()]
                    .iter()
                    .map(|w| w.norm.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                phrase.contains("next") || phrase.contains("следующ") || phrase.contains("следващ")
            });
            // Goodwill ("refunded", "free of charge") shelters a sentence only when it is no
            // part of a product's name ("credit card") and no sales talk ("why not", "for
            // just") comes with it: "two months free if you switch" is a pitch.
            let promo_words: FxHashSet<usize> = signals::hits_in(draft, lex.promo, sentence)
                .flat_map(|h| h.words.clone())
                .collect();
            let goodwill_here = signals::hits_in(draft, goodwill, sentence)
                .any(|g| !g.words.clone().any(|w| promo_words.contains(&w)));
            // Explicit sales talk: a pitch phrase, or an aside that brings up a higher plan
            // («Кстати, переходите на тариф «Турбо», первый месяц бесплатно»).
            let tags: Vec<&str> = signals::hits_in(draft, lex.promo, sentence)
                .filter_map(|h| lex.tag(h))
                .collect();
            let pitch_talk =
                tags.contains(&"pitch") || tags.contains(&"aside") && tags.contains(&"upgrade");
            if goodwill_here && !needs_purchase && !pitch_talk {
                continue;
            }
            let before_answer = first_answer.is_some_and(|(answer, _)| sentence_index < answer);
            let unrelated = !draft
                .content_stems(sentence.words.clone())
                .any(|s| customer_stems.contains(s));
            let reason = if upset {
                "to a customer with a complaint"
            } else if before_answer {
                "before answering the customer's question"
            } else if replaces_answer {
                "instead of answering the customer's question"
            } else if unrelated {
                "unrelated to what the customer asked"
            } else {
                continue;
            };
            let mut finding = cx
                .diagnostic(sentence.original.clone(), format!("sales pitch {reason}"))
                .with_help("solve the customer's problem first; leave offers out of this reply");
            if upset && let Some((message, Some(cue))) = cx.customer_upset() {
                finding = finding.with_label(message, cue, "the customer is unhappy here");
            }
            out.push(finding);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    fn fired(customer: &str, draft: &str) -> usize {
        crate::rules::testing::findings("pushy-upsell", customer, draft)
    }

    #[test]
    fn a_pitch_instead_of_the_answer() {
        assert_eq!(
            fired(
                "Can I move my unused minutes to next month?",
                "Hi! Switch to the Unlimited plan for only £5 more and never count minutes again!"
            ),
            1
        );
    }

    #[test]
    fn goodwill_does_not_shelter_an_aside_with_a_higher_plan() {
        assert_eq!(
            fired(
                "Третий день не работает телевидение!",
                "Простите за задержку, мастер приедет завтра. Кстати, переходите на тариф «Максимум», первый месяц будет бесплатным!"
            ),
            1
        );
    }
}
