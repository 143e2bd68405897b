//! The linter: rules and language data built once, reused for every conversation.

use std::sync::OnceLock;

use crate::analysis::signals::LexiconIds;
use crate::analysis::{Analysis, PackSource};
use crate::config::{Config, ConfigError};
use crate::conversation::{Conversation, Role};
use crate::diagnostic::{Diagnostic, Severity};
use crate::language::Lang;
use crate::lexicon::{LanguagePack, UserLexicon};
use crate::rules::{self, Context, Rule, Scope};

/// Lints support replies. Build it once (it compiles lexicons lazily, per language in use)
/// and share it across threads: it is `Send + Sync`, and checking never panics on any input.
///
/// ```
/// use replylint::{Conversation, Linter, Message};
///
/// let linter = Linter::new();
/// let thread = Conversation::new(vec![
///     Message::customer("Where is my refund?"),
///     Message::agent("Your case was escalated to L2 per our SLA."),
/// ]);
/// let findings = linter.check(&thread);
/// assert!(findings.iter().any(|d| d.rule == "jargon"));
/// ```
pub struct Linter {
    rules: Vec<(Box<dyn Rule>, Severity)>,
    config: Config,
    packs: Packs,
}

struct Packs {
    built: [OnceLock<LanguagePack>; 3],
    ids: [OnceLock<LexiconIds>; 3],
    user: Vec<UserLexicon>,
}

impl PackSource for Packs {
    fn pack(&self, lang: Lang) -> &LanguagePack {
        self.built[lang.index()].get_or_init(|| LanguagePack::build(lang, &self.user))
    }

    fn lexicon_ids(&self, lang: Lang) -> &LexiconIds {
        self.ids[lang.index()].get_or_init(|| LexiconIds::of(self.pack(lang)))
    }
}

impl Default for Linter {
    fn default() -> Self {
        Linter::new()
    }
}

impl Linter {
    /// A linter with every rule at its default settings.
    pub fn new() -> Linter {
        Linter::from_config(Config::default())
            .unwrap_or_else(|_| unreachable!("the default config is valid"))
    }

    /// A linter for a loaded config. Fails when a rule option is invalid.
    pub fn from_config(config: Config) -> Result<Linter, ConfigError> {
        let mut rules = Vec::new();
        for mut rule in rules::all() {
            if !config.is_enabled(rule.id()) {
                continue;
            }
            let settings = config.rule(rule.id());
            for (key, value) in &settings.options {
                if let Err(message) = rule.set_option(key, value) {
                    let path = config.path.clone().unwrap_or_default();
                    return Err(ConfigError::unreadable(
                        &path,
                        &std::io::Error::other(message),
                    ));
                }
            }
            let severity = settings.severity.unwrap_or(rule.default_severity());
            rules.push((rule, severity));
        }
        let packs = Packs {
            built: Default::default(),
            ids: Default::default(),
            user: config.lexicons.clone(),
        };
        Ok(Linter {
            rules,
            config,
            packs,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Lints the last message of the thread, the agent's draft. Returns nothing when the
    /// last message is not the agent's (the CLI reports that as an input error).
    pub fn check(&self, conversation: &Conversation) -> Vec<Diagnostic> {
        match conversation.messages.last() {
            Some(last) if last.role == Role::Agent => {
                let analysis = self.analyse(conversation);
                self.check_analysed(&analysis, conversation.messages.len() - 1)
            }
            _ => Vec::new(),
        }
    }

    /// Lints every agent message against the messages before it, analysing the thread once.
    /// Findings come in message order; `message_index` tells which message each is about.
    pub fn audit(&self, conversation: &Conversation) -> Vec<Diagnostic> {
        let analysis = self.analyse(conversation);
        (0..conversation.messages.len())
            .filter(|&i| conversation.messages[i].role == Role::Agent)
            .flat_map(|i| self.check_analysed(&analysis, i))
            .collect()
    }

    /// The shared analysis of a conversation, for tools built on the linter.
    pub fn analyse<'a>(&self, conversation: &'a Conversation) -> Analysis<'a> {
        let default_lang = self.config.default_lang.unwrap_or(Lang::En);
        Analysis::new(conversation, &self.packs, default_lang)
    }

    /// Lints message `index` of an analysed thread.
    pub fn check_analysed(&self, analysis: &Analysis<'_>, index: usize) -> Vec<Diagnostic> {
        if index >= analysis.messages.len() {
            return Vec::new();
        }
        let mut found = Vec::new();
        let scope = Scope::new(analysis, index, &self.packs);
        for (rule, severity) in &self.rules {
            let cx = Context::new(&scope, rule.id(), *severity);
            rule.check(&cx, &mut found);
        }
        let text_of = |i: usize| analysis.messages.get(i).map(|m| m.original);
        for diagnostic in &mut found {
            diagnostic.locate(text_of);
        }
        resolve_overlaps(found)
    }
}

/// Rules whose warning on a message makes another rule's finding on it redundant: a reply
/// that is only a help link is reported as that, not also as leaving the question open.
const SUBSUMES: &[(&str, &str)] = &[("faq-link-only", "unanswered-question")];

/// One place that decides what to show when findings collide: a finding subsumed by a
/// stronger one on the same message is dropped, identical findings are shown once, and
/// findings are ordered by position, then by severity.
fn resolve_overlaps(mut found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let subsumed: Vec<(usize, &str)> = SUBSUMES
        .iter()
        .flat_map(|(strong, weak)| {
            found
                .iter()
                .filter(move |d| d.rule == *strong && d.severity >= Severity::Warning)
                .map(move |d| (d.message_index, *weak))
        })
        .collect();
    found.retain(|d| !subsumed.contains(&(d.message_index, d.rule.as_str())));
    found.sort_by(|a, b| {
        (
            a.message_index,
            a.span.start,
            std::cmp::Reverse(a.severity),
            &a.rule,
        )
            .cmp(&(
                b.message_index,
                b.span.start,
                std::cmp::Reverse(b.severity),
                &b.rule,
            ))
    });
    found.dedup_by(|b, a| {
        a.rule == b.rule && a.message_index == b.message_index && a.span == b.span
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linter_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Linter>();
    }
}
