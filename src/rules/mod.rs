//! The rule registry. Each rule lives in its own file, named after its id, which starts with
//! the documentation `replylint explain` prints.

mod excessive_length;
mod faq_link_only;
mod jargon;
mod pushy_upsell;
mod redundant_request;
mod unanswered_question;

mod dismissive_tone;
mod formality_mismatch;
mod language_mismatch;
mod missing_empathy;
mod overpromise;
mod piecemeal_request;
mod sensitive_data_request;
mod shouting;
mod unfilled_placeholder;
mod vague_timeline;

use crate::analysis::signals::{self, Lexicons};
use crate::analysis::{Analysis, MessageAnalysis, PackSource};
use crate::conversation::Role;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lexicon::{LanguagePack, LexiconId};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// A check on a draft. Rules are pure: they read the shared analysis and report.
pub trait Rule: Send + Sync {
    /// The stable kebab-case id.
    fn id(&self) -> &'static str;
    fn default_severity(&self) -> Severity;
    /// One line for `replylint rules`.
    fn summary(&self) -> &'static str;
    /// Applies one option from `[rules.<id>]`; the error says what is wrong with it.
    fn set_option(&mut self, key: &str, _value: &toml::Value) -> Result<(), String> {
        Err(format!("rule `{}` has no option `{key}`", self.id()))
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, with default options, in catalogue order.
pub fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(unanswered_question::UnansweredQuestion),
        Box::new(redundant_request::RedundantRequest),
        Box::new(faq_link_only::FaqLinkOnly::default()),
        Box::new(excessive_length::ExcessiveLength::default()),
        Box::new(jargon::Jargon),
        Box::new(pushy_upsell::PushyUpsell),
        Box::new(piecemeal_request::PiecemealRequest),
        Box::new(vague_timeline::VagueTimeline::default()),
        Box::new(dismissive_tone::DismissiveTone),
        Box::new(missing_empathy::MissingEmpathy),
        Box::new(unfilled_placeholder::UnfilledPlaceholder),
        Box::new(sensitive_data_request::SensitiveDataRequest),
        Box::new(language_mismatch::LanguageMismatch),
        Box::new(formality_mismatch::FormalityMismatch::default()),
        Box::new(overpromise::Overpromise::default()),
        Box::new(shouting::Shouting),
    ]
}

/// The ids of every rule.
pub fn ids() -> Vec<&'static str> {
    all().iter().map(|r| r.id()).collect()
}

pub fn is_known(id: &str) -> bool {
    all().iter().any(|r| r.id() == id)
}

/// The documentation of a rule: the `//!` comment at the top of its file.
pub fn doc(id: &str) -> Option<&'static str> {
    RULE_DOCS
        .iter()
        .find(|(rule, _)| *rule == id)
        .map(|(_, doc)| *doc)
}

/// Checks one option of one rule without building a linter.
pub fn validate_option(id: &str, key: &str, value: &toml::Value) -> Result<(), String> {
    let mut rule = all()
        .into_iter()
        .find(|r| r.id() == id)
        .ok_or_else(|| format!("unknown rule `{id}`"))?;
    rule.set_option(key, value)
}

/// Names of the lexicons shipped under `rules/<lang>/`, which user lexicon files extend.
pub fn lexicon_names() -> Vec<&'static str> {
    crate::lexicon::shipped_lexicon_names()
}

/// Reads a non-negative number option.
pub(crate) fn number_option(key: &str, value: &toml::Value) -> Result<f64, String> {
    let number = match value {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        _ => return Err(format!("`{key}` must be a number")),
    };
    if number < 0.0 || !number.is_finite() {
        return Err(format!("`{key}` must be a non-negative number"));
    }
    Ok(number)
}

/// How many messages before the draft the rules read. Bounds the work per draft, so an
/// audit of a 2,000-message chat costs time in proportion to its length; 60 messages is
/// about 30 exchanges, more than any ticket a reader would look back through.
pub const LOOKBACK: usize = 60;

/// What every rule sees of one draft, worked out once per draft: the analysis, which
/// message is the draft, the window of earlier messages, and the language data.
pub struct Scope<'a> {
    pub analysis: &'a Analysis<'a>,
    pub draft_index: usize,
    /// First message of the lookback window.
    window_start: usize,
    /// First message of the customer's latest turn.
    latest_start: usize,
    packs: &'a dyn PackSource,
    lexicons: [OnceLock<Lexicons<'a>>; 3],
}

impl<'a> Scope<'a> {
    pub fn new(analysis: &'a Analysis<'a>, draft_index: usize, packs: &'a dyn PackSource) -> Self {
        let window_start = draft_index.saturating_sub(LOOKBACK);
        let window = &analysis.messages[window_start..draft_index];
        let latest_start = window
            .iter()
            .rposition(|m| m.role == Role::Agent)
            .map_or(window_start, |i| window_start + i + 1);
        Scope {
            analysis,
            draft_index,
            window_start,
            latest_start,
            packs,
            lexicons: Default::default(),
        }
    }
}

/// What a rule sees: the draft's scope, and the rule's own id and severity.
pub struct Context<'a> {
    pub analysis: &'a Analysis<'a>,
    /// Index of the message being linted.
    pub draft_index: usize,
    pub severity: Severity,
    rule: &'static str,
    scope: &'a Scope<'a>,
}

impl<'a> Context<'a> {
    pub fn new(scope: &'a Scope<'a>, rule: &'static str, severity: Severity) -> Self {
        Context {
            analysis: scope.analysis,
            draft_index: scope.draft_index,
            severity,
            rule,
            scope,
        }
    }

    pub fn draft(&self) -> &'a MessageAnalysis<'a> {
        &self.analysis.messages[self.draft_index]
    }

    /// Messages written before the draft, at most [`LOOKBACK`] of them.
    pub fn earlier(&self) -> &'a [MessageAnalysis<'a>] {
        &self.analysis.messages[self.scope.window_start..self.draft_index]
    }

    /// Everything the customer wrote since the previous agent message (possibly several
    /// messages). Empty when the draft follows another agent message: the customer's turn
    /// was already answered by that one.
    pub fn latest_customer(&self) -> &'a [MessageAnalysis<'a>] {
        &self.analysis.messages[self.scope.latest_start..self.draft_index]
    }

    /// The customer's messages before the draft, within the lookback window.
    pub fn customer_messages(&self) -> impl DoubleEndedIterator<Item = &'a MessageAnalysis<'a>> {
        self.earlier().iter().filter(|m| m.role == Role::Customer)
    }

    /// The language data a message was analysed with.
    pub fn pack(&self, message: &MessageAnalysis<'_>) -> &'a LanguagePack {
        self.scope.packs.pack(message.lang)
    }

    /// A lexicon of the language a message was analysed in.
    pub fn lexicon(&self, message: &MessageAnalysis<'_>, name: &str) -> Option<LexiconId> {
        self.pack(message).lexicon_id(name)
    }

    /// The lexicon ids of the language a message was analysed in.
    pub fn lexicons(&self, message: &MessageAnalysis<'_>) -> &Lexicons<'a> {
        self.scope.lexicons[message.lang.index()].get_or_init(|| {
            let packs = self.scope.packs;
            Lexicons::new(packs.pack(message.lang), packs.lexicon_ids(message.lang))
        })
    }

    /// Whether the customer's latest turn reads upset, with the first cue (message index,
    /// span) when one word carries it.
    pub fn customer_upset(&self) -> Option<(usize, Option<std::ops::Range<usize>>)> {
        let mut total = 0;
        let mut cue = None;
        for message in self.latest_customer() {
            let (score, first) = signals::upset_score(message, self.lexicons(message));
            total += score;
            if cue.is_none() {
                cue = first.map(|span| (message.index, span));
            }
        }
        (total >= signals::UPSET_THRESHOLD).then(|| match cue {
            Some((index, span)) => (index, Some(span)),
            None => (self.latest_customer().last().map_or(0, |m| m.index), None),
        })
    }

    /// A finding of this rule on the draft.
    pub fn diagnostic(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(self.rule, self.severity, self.draft_index, span, message)
    }
}

/// Helpers for the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::{Conversation, Linter, Message};

    /// How many findings of `rule` a default linter reports on a customer message and a draft.
    pub fn findings(rule: &str, customer: &str, draft: &str) -> usize {
        findings_in_thread(
            rule,
            vec![Message::customer(customer), Message::agent(draft)],
        )
    }

    /// How many findings of `rule` a default linter reports on a thread's last message.
    pub fn findings_in_thread(rule: &str, messages: Vec<Message>) -> usize {
        Linter::new()
            .check(&Conversation::new(messages))
            .iter()
            .filter(|d| d.rule == rule)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::LOOKBACK;
    use super::testing::findings_in_thread;
    use crate::Message;

    /// Findings of redundant-request on a draft asking for an order number given `exchanges`
    /// exchanges earlier.
    fn asked_again_after(exchanges: usize) -> usize {
        let mut messages = vec![Message::customer(
            "Hi, my order number is 48213 and it still has not arrived.",
        )];
        for _ in 0..exchanges {
            messages.push(Message::agent("Thanks, I'm checking with the courier now."));
            messages.push(Message::customer("Ok, thank you."));
        }
        messages.push(Message::agent(
            "Could you send me your order number, please?",
        ));
        findings_in_thread("redundant-request", messages)
    }

    #[test]
    fn rules_read_a_bounded_window_of_earlier_messages() {
        assert_eq!(asked_again_after(3), 1);
        assert_eq!(asked_again_after(LOOKBACK), 0);
    }
}
