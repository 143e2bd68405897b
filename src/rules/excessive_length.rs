//! excessive-length: is far longer than the question needs, or buries the answer.
//!
//! What it does: gives each draft a word budget from what the customer asked in their latest
//! messages and from the channel: a base (chat 50 words, social 40, e-mail and others 90),
//! plus 40 words per question and 1.5 words per word the customer wrote. A customer who asks
//! for detail or steps ("step by step", «подробно», «стъпка по стъпка») gets no budget. A draft whose own
//! words (greeting and body; not the signature or the quoted trail) exceed the budget is
//! reported, and so is a one-line yes/no question answered in three or more paragraphs.
//! Separately, at info level, a reply to a single question whose answer starts only after a
//! long preamble (60 words or more, three sentences or more, of thanks, apologies and context
//! before the first sentence that addresses the question: one that shares more than half as
//! many of the question's words as the sentence that shares most, or opens with yes or no)
//! is reported as a buried answer. A genuinely complex, multi-part question (several
//! questions, or several question words in one sentence) earns a proportionally long reply,
//! so it stays quiet.
//!
//! Why: the customer wrote for one answer and has to dig it out. Seed 000: a question
//! «Можно ли оплатить заказ с помощью виртуального кошелька?» answered with four paragraphs
//! about every payment option leaves the feeling the reply was sent «для галочки». Seed 003:
//! «Бъдете кратки».
//!
//! Bad:  customer "Can I pay with PayPal?" / draft: four paragraphs on every payment method,
//!       with the PayPal answer in the third.
//! Good: draft "Yes, PayPal works at checkout: pick it under Payment method."
//!
//! Options (`[rules.excessive-length]`): `budget-chat`, `budget-social`, `budget-email`,
//! `budget-other`, `per-question`, `per-customer-word`, `preamble-words`.

use rustc_hash::FxHashSet;

use crate::analysis::{MessageAnalysis, signals};
use crate::conversation::Channel;
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule, number_option};

/// Words from which three paragraphs are too many for a one-line yes/no question.
const YES_NO_WORDS: usize = 90;

pub struct ExcessiveLength {
    budget_chat: f64,
    budget_social: f64,
    budget_email: f64,
    budget_other: f64,
    per_question: f64,
    per_customer_word: f64,
    preamble_words: f64,
}

impl Default for ExcessiveLength {
    fn default() -> Self {
        ExcessiveLength {
            budget_chat: 50.0,
            budget_social: 40.0,
            budget_email: 90.0,
            budget_other: 90.0,
            per_question: 40.0,
            per_customer_word: 1.5,
            preamble_words: 60.0,
        }
    }
}

/// What the customer asked in their latest turn.
struct Ask {
    words: usize,
    questions: usize,
    yes_no: bool,
}

impl Rule for ExcessiveLength {
    fn id(&self) -> &'static str {
        "excessive-length"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "far longer than the question needs, or the answer buried after a long preamble"
    }

    fn set_option(&mut self, key: &str, value: &toml::Value) -> Result<(), String> {
        let slot = match key {
            "budget-chat" => &mut self.budget_chat,
            "budget-social" => &mut self.budget_social,
            "budget-email" => &mut self.budget_email,
            "budget-other" => &mut self.budget_other,
            "per-question" => &mut self.per_question,
            "per-customer-word" => &mut self.per_customer_word,
            "preamble-words" => &mut self.preamble_words,
            _ => {
                return Err(format!(
                    "rule `excessive-length` has no option `{key}` (options: budget-chat, budget-social, budget-email, budget-other, per-question, per-customer-word, preamble-words)"
                ));
            }
        };
        *slot = number_option(key, value)?;
        Ok(())
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let latest = cx.latest_customer();
        if latest.is_empty() {
            return;
        }
        let own: Vec<_> = draft.own_sentences().collect();
        let words = draft.own_word_count();
        // A preamble is counted in words: a shorter draft has none to speak of.
        let sentence_words: usize = own.iter().map(|(_, s)| s.words.len()).sum();
        let base = match cx.analysis.channel {
            Channel::Chat => self.budget_chat,
            Channel::Social => self.budget_social,
            Channel::Email => self.budget_email,
            Channel::Other => self.budget_other,
        };
        // Most drafts are within the smallest budget any ask allows, too short for the
        // yes/no finding and for a preamble: the customer's side need not be read.
        let least_budget = (self.per_question >= 0.0 && self.per_customer_word >= 0.0)
            .then_some(base + self.per_question);
        if least_budget.is_some_and(|least| words as f64 <= least)
            && words < YES_NO_WORDS
            && (sentence_words as f64) < self.preamble_words
        {
            return;
        }
        // Asked for detail or steps: a long answer is what the customer wants.
        let wants_detail = latest.iter().any(|m| {
            m.own_hits_of(cx.lexicons(m).detail_requests)
                .next()
                .is_some()
        });
        if wants_detail {
            return;
        }
        let ask = self.ask(cx, latest);
        let (Some(first), Some(last)) = (own.first(), own.last()) else {
            return;
        };
        let paragraphs = draft.own_paragraph_count();
        let span = first.1.original.start..last.1.original.end;

        let budget = base
            + self.per_question * ask.questions.max(1) as f64
            + self.per_customer_word * ask.words as f64;
        let short_yes_no = ask.yes_no && ask.questions == 1 && ask.words <= 30;
        if words as f64 > budget {
            out.push(
                cx.diagnostic(
                    span,
                    format!(
                        "{words} words in {paragraphs} paragraph(s) for {} ({} words would do)",
                        describe(&ask),
                        budget.round()
                    ),
                )
                .with_help(
                    "answer first, in a sentence or two; keep only what the customer needs to act",
                ),
            );
            return;
        }
        if short_yes_no && paragraphs >= 3 && words >= YES_NO_WORDS {
            out.push(
                cx.diagnostic(
                    span,
                    format!(
                        "{paragraphs} paragraphs ({words} words) for a one-line yes/no question"
                    ),
                )
                .with_help("start with yes or no and the one detail that matters"),
            );
            return;
        }
        // With several questions the reply is rightly organised by topic; a "preamble" there is
        // usually context for all of them. Several can share one sentence ("How should I pack
        // it, what paperwork do I need, and how long will it take?").
        let asked: usize = latest
            .iter()
            .map(|m| {
                let lex = cx.lexicons(m);
                let question_words = signals::question_words_in(m, lex, 0..m.words.len())
                    .filter(|h| m.words[h.words.start].own)
                    .count();
                signals::questions(m, lex).len().max(question_words)
            })
            .sum();
        if ask.questions > 1 || asked > 1 {
            return;
        }
        if (sentence_words as f64) < self.preamble_words {
            return;
        }
        let yes_no = cx.lexicons(draft).yes_no;
        if let Some(preamble) = self.buried_answer(draft, &Self::asked_content(latest), yes_no) {
            let mut finding = cx
                .diagnostic(
                    preamble.0,
                    format!(
                        "the answer starts only after {} words of preamble",
                        preamble.1
                    ),
                )
                .with_help("put the answer first; thanks and context can follow it");
            finding.severity = finding.severity.min(Severity::Info);
            out.push(finding);
        }
    }
}

impl ExcessiveLength {
    fn ask(&self, cx: &Context<'_>, latest: &[MessageAnalysis<'_>]) -> Ask {
        let mut ask = Ask {
            words: 0,
            questions: 0,
            yes_no: false,
        };
        for message in latest {
            let lex = cx.lexicons(message);
            ask.words += message.own_word_count();
            for (_, sentence) in message.own_sentences().filter(|(_, s)| s.question) {
                ask.questions += 1;
                let has_wh = signals::question_words_in(message, lex, sentence.words.clone())
                    .next()
                    .is_some();
                ask.yes_no |= !has_wh;
            }
        }
        ask
    }

    /// The content stems of the customer's questions, or of all they wrote when that has
    /// none.
    fn asked_content<'m>(latest: &'m [MessageAnalysis<'_>]) -> FxHashSet<&'m str> {
        let mut content = FxHashSet::default();
        for message in latest {
            for (_, sentence) in message.own_sentences().filter(|(_, s)| s.question) {
                content.extend(message.content_stems(sentence.words.clone()));
            }
            if content.is_empty() {
                content.extend(
                    message
                        .own_sentences()
                        .flat_map(|(_, s)| message.content_stems(s.words.clone())),
                );
            }
        }
        content
    }

    /// The preamble before the first sentence that addresses the question, when it is long:
    /// (its span, its word count). A sentence addresses the question when it shares more
    /// than half as many of its words as the sentence that shares most, or opens with yes or
    /// no and shares one: "we have 120 offices that work around the clock" shares two words
    /// with "until when does the Ruse office work on Saturday?", the answer four.
    fn buried_answer(
        &self,
        draft: &MessageAnalysis<'_>,
        asked: &FxHashSet<&str>,
        yes_no: Option<crate::lexicon::LexiconId>,
    ) -> Option<(std::ops::Range<usize>, usize)> {
        let own: Vec<_> = draft.own_sentences().map(|(_, s)| s).collect();
        let shared: Vec<usize> = own
            .iter()
            .map(|sentence| {
                let stems: FxHashSet<&str> = draft
                    .content_stems(sentence.words.clone())
                    .filter(|s| asked.contains(s))
                    .collect();
                stems.len()
            })
            .collect();
        let best = shared.iter().copied().max().unwrap_or(0);
        let mut before = 0usize;
        for (i, sentence) in own.iter().enumerate() {
            let opens_with_yes_no = draft
                .hits_in_words(yes_no, sentence.words.clone())
                .any(|h| h.words.start < sentence.words.start + 2);
            let addresses = shared[i] > 0 && (shared[i] * 2 > best || opens_with_yes_no);
            if addresses {
                return (i >= 3 && before as f64 >= self.preamble_words)
                    .then(|| (own[0].original.start..own[i - 1].original.end, before));
            }
            before += sentence.words.len();
        }
        None
    }
}

fn describe(ask: &Ask) -> String {
    match ask.questions {
        0 | 1 if ask.yes_no => format!("a yes/no question of {} words", ask.words),
        0 | 1 => format!("a message of {} words", ask.words),
        n => format!("{n} questions in {} words", ask.words),
    }
}
