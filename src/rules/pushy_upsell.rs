//! pushy-upsell: pitches a product, upgrade or promotion to an unhappy customer, instead of the answer, or unrelated to the request.
//!
//! What it does: finds sales wording in the draft (`rules/<lang>/promo.toml`: upgrades,
//! subscriptions, discounts and promo codes, cross-sells; a lower price next to the old one, «9 900
//! ₽ вместо 12 500 ₽», is a discount too). It stays quiet when the customer
//! asked about such an offer themselves, and when the "offer" is goodwill compensation that
//! asks nothing of the customer (`goodwill.toml`: "we've refunded the delivery fee", "a
//! credit on us") unless it needs a new purchase ("20% off your next order"). Product words
//! ("upgrade", "subscription") count as a pitch only with sales talk in the same sentence
//! ("why not", "for only", "did you know", or "by the way" next to a higher plan; a low price
//! announced next to it, "now only £19 a year", «всего 390 ₽», „само 19 лв.“, or a price
//! said to be lower, „Премиум е с 30% по-евтино“ (tag `cheaper`); a
//! recommendation of the product, "we recommend our travel insurance", «рекомендуем оформить
//! страховку»; an aside that tells the customer to take the product, «кстати, оформите
//! подписку»): a bill that explains a Premium charge is not one, and goodwill wording does
//! not shelter a sentence with explicit sales talk (an aside that brings up a higher plan is
//! such talk). A request to pause or cancel their own plan is no question about offers. A
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

use crate::analysis::{MessageAnalysis, signals};
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
                Some("price-cut") => price_cut(draft, h),
                Some("aside") => aside,
                _ => false,
            }) || offer_wording(draft, lex, sentence)
        };
        let is_pitch = |hit: &&crate::lexicon::Hit| match lex.tag(hit) {
            Some("discount" | "pitch") => true,
            Some("price-cut") => price_cut(draft, hit),
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
            let asked_about_offers = signals::questions(message, customer_lex)
                .iter()
                .any(|q| asks_about_offers(message, customer_lex, q));
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
        // A pitch does not answer the question, even when it shares its words; a sentence
        // that opens with yes or no does ("Sure, up to three months.").
        let first_answer = draft.own_sentences().find(|(index, s)| {
            !pitch_sentences.contains(index)
                && (draft
                    .content_stems(s.words.clone())
                    .any(|stem| question_stems.contains(stem))
                    || draft
                        .hits_in_words(lex.yes_no, s.words.clone())
                        .any(|h| h.words.start < s.words.start + 2))
        });
        // Nothing but greetings and the pitch, or a pitch that takes up the question when
        // nothing else does ("Instead of pausing, why not switch to our Annual plan?"): the
        // pitch stands in for the answer.
        // Only explicit sales talk ("why not", "switch to our") counts: "For a limited time,
        // Apple is extending the eligibility period" may be the answer itself.
        let pitch_takes_up_question = pitch_sentences.iter().any(|&index| {
            let sentence = &draft.sentences[index];
            signals::hits_in(draft, lex.promo, sentence).any(|h| lex.tag(h) == Some("pitch"))
                && draft
                    .content_stems(sentence.words.clone())
                    .any(|stem| question_stems.contains(stem))
        });
        let mut substance = draft
            .own_sentences()
            .filter(|(_, s)| !signals::is_small_talk(draft, lex, s))
            .peekable();
        let replaces_answer = !question_stems.is_empty()
            && substance.peek().is_some()
            && (first_answer.is_none() && pitch_takes_up_question
                || substance.all(|(index, _)| pitch_sentences.contains(&index)));

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
            let pitch_talk = tags.contains(&"pitch")
                || tags.contains(&"aside") && tags.contains(&"upgrade")
                || offer_wording(draft, lex, sentence);
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

/// Whether a customer's question asks about offers, plans or discounts: sales words in it or
/// in the sentence it stands for ("... a discount code. Can I?"), a discount topic, or a plan
/// or product word (or a request for offers, «что можете предложить») in a question that is
/// not about pausing or cancelling their own plan
/// ("is there a cheaper plan?" asks; "please cancel my subscription", "can I pause my
/// membership?" do not).
pub(super) fn asks_about_offers(
    message: &MessageAnalysis<'_>,
    lex: &signals::Lexicons<'_>,
    q: &signals::Question,
) -> bool {
    let sentence = &message.sentences[q.sentence];
    let concept = |tags: &[&str]| {
        signals::hits_in(message, lex.concepts, sentence)
            .any(|h| lex.tag(h).is_some_and(|t| tags.contains(&t)))
    };
    let sales_words = message.own_hits_of(lex.promo).any(|h| {
        is_sales_talk(lex, h)
            && (message.words[h.words.start].sentence == q.sentence
                || message.words[h.words.clone()]
                    .iter()
                    .any(|w| q.content.contains(w.stem.as_str())))
    });
    // Offer wording ("only", "get", "we recommend") names no product by itself; a request
    // for offers («что можете предложить?») asks about them.
    let product = signals::hits_in(message, lex.promo, sentence).any(|h| {
        matches!(
            lex.tag(h),
            Some(
                "upgrade" | "subscription" | "cross-sell" | "discount" | "pitch" | "offer-request"
            )
        )
    });
    sales_words
        || concept(&["discount"])
        || (!concept(&["cancel", "pause"]) && (product || concept(&["plan"])))
}

/// Offer wording that needs a product in the sentence to sell (see `promo.toml`): a low price
/// announced ("only £19", «всего 390 ₽», „само 19 лв.“: a `price-lead` word right before an
/// amount), a recommendation of a product other than a plan change ("we recommend our travel
/// insurance"; "we recommend upgrading the app" is advice), or an aside that tells the
/// customer to take one («кстати, оформите подписку», „между другото, кандидатствайте“).
fn offer_wording(
    draft: &MessageAnalysis<'_>,
    lex: &signals::Lexicons<'_>,
    sentence: &crate::analysis::Sentence,
) -> bool {
    let mut hits = signals::hits_in(draft, lex.promo, sentence).peekable();
    if hits.peek().is_none() {
        return false;
    }
    let (mut products, mut aside, mut takes, mut low_price) = (false, false, false, false);
    // The recommendation names the product within a few words after it ("we recommend our
    // Travel Protect insurance"): "have you tried these steps? ... we'd recommend our live
    // support team" recommends no product.
    let mut recommended_from: Option<usize> = None;
    let mut recommends_product = false;
    for hit in hits {
        match lex.tag(hit) {
            Some("upgrade") => products = true,
            Some("subscription" | "cross-sell") => {
                products = true;
                recommends_product |= recommended_from
                    .is_some_and(|end| hit.words.start >= end && hit.words.start <= end + 4);
            }
            Some("aside") => aside = true,
            Some("recommend") => recommended_from = Some(hit.words.end),
            Some("take") => takes = true,
            Some("price-lead") => low_price |= amount_follows(draft, hit.words.end),
            // "Premium is 30% cheaper until Sunday": a lower price announced all the same.
            Some("cheaper") => low_price = true,
            _ => {}
        }
    }
    products && (low_price || aside && takes) || recommends_product
}

/// Explicit sales talk: a `discount` or `pitch` phrase of `promo.toml` ("20% off", "why
/// not try").
pub(super) fn is_sales_talk(lex: &signals::Lexicons<'_>, hit: &crate::lexicon::Hit) -> bool {
    matches!(lex.tag(hit), Some("discount" | "pitch"))
}

/// Currencies written after an amount ("9 900 ₽", "19 лв", "5 EUR", lower-cased).
const CURRENCY_WORDS: &[&str] = &["₽", "руб", "р.", "лв", "евро", "eur", "usd", "gbp"];

/// A price next to the old one, "now £19 instead of £29", «9 900 ₽ вместо 12 500 ₽": a
/// `price-cut` word of `promo.toml` with an amount of money right before it and right after
/// it (digits grouped with spaces, then a currency; or a currency sign, then digits), the
/// first lower than the second.
fn price_cut(draft: &MessageAnalysis<'_>, hit: &crate::lexicon::Hit) -> bool {
    let (Some(first), Some(last)) = (
        draft.words.get(hit.words.start),
        draft.words.get(hit.words.end.saturating_sub(1)),
    ) else {
        return false;
    };
    let text = &draft.plain.text;
    let digits_or_space = |c: char| c.is_ascii_digit() || c.is_whitespace() || c == ',';
    // Before: "... 9 900 ₽", "... 299 руб.", "... £19".
    let before: String = text[..first.plain.start]
        .trim_end()
        .chars()
        .rev()
        .take(16)
        .flat_map(char::to_lowercase)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let before = before.trim_end_matches('.');
    let amount_before = CURRENCY_WORDS.iter().any(|unit| {
        before
            .strip_suffix(unit.trim_end_matches('.'))
            .is_some_and(|rest| rest.trim_end().ends_with(|c: char| c.is_ascii_digit()))
    }) || before.ends_with(|c: char| c.is_ascii_digit())
        && before
            .trim_end_matches(digits_or_space)
            .ends_with(['£', '$', '€']);
    // After: "12 500 ₽", "£29".
    let after: String = text[last.plain.end..]
        .trim_start()
        .chars()
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    let amount_after = after.starts_with(['£', '$', '€'])
        && after
            .trim_start_matches(['£', '$', '€'])
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
        || after.starts_with(|c: char| c.is_ascii_digit()) && {
            let rest = after.trim_start_matches(digits_or_space);
            CURRENCY_WORDS.iter().any(|unit| rest.starts_with(unit))
        };
    // A price cut names the lower price first: «750 ₽ вместо 600 ₽» is a rise, a bill.
    let value = |digits: &str| -> Option<u64> {
        let kept: String = digits.chars().filter(char::is_ascii_digit).collect();
        kept.parse().ok()
    };
    let old = after
        .trim_start_matches(['£', '$', '€'])
        .trim_start()
        .split(|c: char| !digits_or_space(c))
        .next()
        .and_then(value);
    let new = before
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .rsplit(|c: char| !digits_or_space(c))
        .next()
        .and_then(value);
    amount_before && amount_after && new.zip(old).is_some_and(|(new, old)| new < old)
}

/// Whether an amount of money or a percentage starts at word `at` ("£19", "390 ₽", "19 лв.",
/// "9,9%"): a number whose next characters, or the character before it, name a currency.
fn amount_follows(draft: &MessageAnalysis<'_>, at: usize) -> bool {
    let Some(word) = draft.words.get(at) else {
        return false;
    };
    if !word.shape.has_ascii_digit() {
        return false;
    }
    let text = &draft.plain.text;
    let before = text[..word.plain.start].trim_end().chars().next_back();
    let after: String = text[word.plain.end..]
        .trim_start()
        .chars()
        .take(4)
        .flat_map(char::to_lowercase)
        .collect();
    before.is_some_and(|c| matches!(c, '£' | '$' | '€'))
        || ["%", "£", "$", "€", "лев"]
            .iter()
            .chain(CURRENCY_WORDS)
            .any(|u| after.starts_with(u))
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
