//! The summary of an audit: totals, findings per 100 replies per rule, agent, channel and
//! language, trends by date, the worst conversations, and a few examples per rule. It keeps
//! counts, not conversations: its size depends on the number of rules, agents and days.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::fmt::Write;

use super::redact;
use super::{Excerpt, ThreadStats};
use crate::diagnostic::Severity;
use crate::rules;

/// Examples kept per rule, and worst conversations listed.
pub const EXAMPLES_PER_RULE: usize = 3;
pub const WORST: usize = 10;
/// Bad records listed (all are counted).
const BAD_LISTED: usize = 20;

/// Replies and findings of one group (an agent, a channel, a day...).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub replies: usize,
    pub findings: usize,
}

impl Tally {
    /// Findings per 100 replies.
    pub fn rate(&self) -> f64 {
        per_100(self.findings, self.replies)
    }
}

pub fn per_100(findings: usize, replies: usize) -> f64 {
    if replies == 0 {
        0.0
    } else {
        findings as f64 * 100.0 / replies as f64
    }
}

/// A finding kept as an example.
#[derive(Debug, Clone)]
pub struct Example {
    pub conversation: String,
    pub location: String,
    pub message_index: usize,
    pub agent: String,
    pub severity: Severity,
    pub message: String,
    pub excerpt: Excerpt,
}

/// A rule's findings.
#[derive(Debug, Clone, Default)]
pub struct RuleTally {
    pub findings: usize,
    pub by_severity: [usize; 3],
    pub examples: Vec<Example>,
}

/// A conversation with many findings.
#[derive(Debug, Clone)]
pub struct Worst {
    pub id: String,
    pub location: String,
    pub replies: usize,
    pub findings: usize,
    /// Findings weighted by severity (error 3, warning 2, info 1): the ranking key.
    pub score: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub redact: bool,
    pub conversations: usize,
    pub replies: usize,
    pub bot_replies: usize,
    pub findings: usize,
    pub bot_findings: usize,
    pub by_severity: [usize; 3],
    pub bad_records: usize,
    pub bad_listed: Vec<String>,
    pub bytes: u64,
    pub rules: BTreeMap<String, RuleTally>,
    /// (agent, is a bot)
    pub agents: FxHashMap<(String, bool), Tally>,
    pub channels: BTreeMap<String, Tally>,
    pub languages: BTreeMap<&'static str, Tally>,
    pub dates: BTreeMap<String, Tally>,
    pub worst: Vec<Worst>,
}

/// The entry of a map for a key, added (with the key copied) only when it is new: most keys
/// (channels, dates, rules) are seen again and again.
fn tally<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

/// [`tally`] for the agents' map.
fn agent_tally<'m>(
    agents: &'m mut FxHashMap<(String, bool), Tally>,
    key: &(String, bool),
) -> &'m mut Tally {
    if !agents.contains_key(key) {
        agents.insert(key.clone(), Tally::default());
    }
    agents.get_mut(key).expect("inserted above")
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl Summary {
    pub fn new(redact: bool) -> Summary {
        Summary {
            redact,
            ..Default::default()
        }
    }

    fn agent_name(&self, name: &str) -> String {
        if self.redact {
            redact::redact_text(name).into_owned()
        } else {
            name.to_string()
        }
    }

    pub fn add(&mut self, stats: ThreadStats) {
        self.conversations += 1;
        self.replies += stats.replies.len();
        let channel = tally(&mut self.channels, &stats.channel);
        channel.replies += stats.replies.len();
        channel.findings += stats.findings.len();
        let agent_keys: Vec<(String, bool)> = stats
            .replies
            .iter()
            .map(|r| (self.agent_name(&r.agent), r.bot))
            .collect();
        for (reply, key) in stats.replies.iter().zip(&agent_keys) {
            self.bot_replies += usize::from(reply.bot);
            agent_tally(&mut self.agents, key).replies += 1;
            self.languages.entry(reply.lang.code()).or_default().replies += 1;
            if let Some(date) = &reply.date {
                tally(&mut self.dates, date).replies += 1;
            }
        }
        let mut score = 0;
        for finding in &stats.findings {
            let reply = &stats.replies[finding.reply];
            let key = &agent_keys[finding.reply];
            let name = &key.0;
            self.findings += 1;
            self.bot_findings += usize::from(reply.bot);
            self.by_severity[severity_index(finding.severity)] += 1;
            score += 3 - severity_index(finding.severity);
            agent_tally(&mut self.agents, key).findings += 1;
            self.languages
                .entry(reply.lang.code())
                .or_default()
                .findings += 1;
            if let Some(date) = &reply.date {
                tally(&mut self.dates, date).findings += 1;
            }
            let rule = tally(&mut self.rules, &finding.rule);
            rule.findings += 1;
            rule.by_severity[severity_index(finding.severity)] += 1;
            // A few examples, from different conversations.
            if rule.examples.len() < EXAMPLES_PER_RULE
                && !rule.examples.iter().any(|e| e.conversation == stats.id)
            {
                rule.examples.push(Example {
                    conversation: stats.id.clone(),
                    location: stats.location.clone(),
                    message_index: reply.message_index,
                    agent: name.clone(),
                    severity: finding.severity,
                    message: finding.message.clone(),
                    excerpt: finding.excerpt.clone(),
                });
            }
        }
        if score > 0 {
            self.rank_worst(Worst {
                id: stats.id,
                location: stats.location,
                replies: stats.replies.len(),
                findings: stats.findings.len(),
                score,
            });
        }
    }

    fn rank_worst(&mut self, candidate: Worst) {
        if self.worst.len() == WORST
            && self
                .worst
                .last()
                .is_some_and(|w| w.score >= candidate.score)
        {
            return;
        }
        let at = self.worst.partition_point(|w| w.score >= candidate.score);
        self.worst.insert(at, candidate);
        self.worst.truncate(WORST);
    }

    pub fn add_bad(&mut self, bad: &super::BadRecord) {
        self.bad_records += 1;
        if self.bad_listed.len() < BAD_LISTED {
            self.bad_listed.push(bad.to_string());
        }
    }

    /// Rules with findings, most frequent first; then the other enabled rules with none.
    pub fn rules_ranked(&self) -> Vec<(&str, RuleTally)> {
        let mut ranked: Vec<(&str, RuleTally)> = self
            .rules
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        for rule in rules::all() {
            if !self.rules.contains_key(rule.id()) {
                ranked.push((rule.id(), RuleTally::default()));
            }
        }
        ranked.sort_by(|a, b| b.1.findings.cmp(&a.1.findings).then(a.0.cmp(b.0)));
        ranked
    }

    /// Agents with the most replies first.
    pub fn agents_ranked(&self) -> Vec<(&str, bool, Tally)> {
        let mut ranked: Vec<(&str, bool, Tally)> = self
            .agents
            .iter()
            .map(|((name, bot), t)| (name.as_str(), *bot, *t))
            .collect();
        ranked.sort_by(|a, b| b.2.replies.cmp(&a.2.replies).then(a.0.cmp(b.0)));
        ranked
    }

    /// The short tally after human output.
    pub fn render_tally(&self) -> String {
        let mut out = String::new();
        for (rule, tally) in &self.rules {
            let _ = writeln!(out, "{:>6}  {rule}", tally.findings);
        }
        let _ = writeln!(
            out,
            "{} finding(s), {} unreadable record(s)",
            self.findings, self.bad_records
        );
        out
    }

    /// The summary as text: what a QA lead reads first.
    pub fn render_text(&self) -> String {
        let mut o = String::new();
        let human = self.replies - self.bot_replies;
        let _ = writeln!(o, "Audit summary");
        let _ = writeln!(
            o,
            "  {} conversation(s), {} agent repl(ies) ({} by bots), {} finding(s): {} error, {} warning, {} info; {:.1} per 100 replies",
            self.conversations,
            self.replies,
            self.bot_replies,
            self.findings,
            self.by_severity[0],
            self.by_severity[1],
            self.by_severity[2],
            per_100(self.findings, self.replies)
        );
        if self.bot_replies > 0 {
            let _ = writeln!(
                o,
                "  people: {:.1} findings per 100 replies; bots: {:.1}",
                per_100(self.findings - self.bot_findings, human),
                per_100(self.bot_findings, self.bot_replies)
            );
        }
        let _ = writeln!(o, "  {} malformed record(s)", self.bad_records);
        for bad in &self.bad_listed {
            let _ = writeln!(o, "    {bad}");
        }
        let _ = writeln!(o, "\nBy rule (findings, per 100 replies)");
        for (rule, tally) in self.rules_ranked() {
            let _ = writeln!(
                o,
                "  {rule:<24} {:>7} {:>8.1}",
                tally.findings,
                per_100(tally.findings, self.replies)
            );
            if let Some(example) = tally.examples.first() {
                let _ = writeln!(
                    o,
                    "      e.g. {} message {}: {}",
                    example.conversation,
                    example.message_index,
                    example.excerpt.flat()
                );
            }
        }
        let table = |o: &mut String, title: &str, rows: Vec<(String, Tally)>| {
            let _ = writeln!(o, "\nBy {title} (replies, findings, per 100 replies)");
            for (name, t) in rows {
                let _ = writeln!(
                    o,
                    "  {name:<24} {:>7} {:>7} {:>8.1}",
                    t.replies,
                    t.findings,
                    t.rate()
                );
            }
        };
        let agents = self
            .agents_ranked()
            .into_iter()
            .take(50)
            .map(|(name, bot, t)| {
                (
                    if bot {
                        format!("{name} (bot)")
                    } else {
                        name.to_string()
                    },
                    t,
                )
            })
            .collect();
        table(&mut o, "agent", agents);
        table(
            &mut o,
            "channel",
            self.channels.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        );
        table(
            &mut o,
            "language",
            self.languages
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
        );
        if !self.worst.is_empty() {
            let _ = writeln!(o, "\nWorst conversations (findings / replies)");
            for w in &self.worst {
                let _ = writeln!(
                    o,
                    "  {:<32} {:>4} / {:<4} {}",
                    w.id, w.findings, w.replies, w.location
                );
            }
        }
        o
    }
}

/// The day of a timestamp: ISO 8601 (`2024-03-05T10:00:00Z`), or Unix seconds or
/// milliseconds as Intercom and some CSV exports give them.
pub fn date_of(timestamp: &str) -> Option<String> {
    let t = timestamp.trim();
    let b = t.as_bytes();
    if b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        return Some(t[..10].to_string());
    }
    if !t.is_empty() && t.len() <= 13 && b.iter().all(u8::is_ascii_digit) {
        let mut seconds: i64 = t.parse().ok()?;
        if t.len() > 11 {
            seconds /= 1000;
        }
        let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
        return Some(format!("{y:04}-{m:02}-{d:02}"));
    }
    None
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_iso_and_unix() {
        assert_eq!(
            date_of("2024-03-05T10:00:00Z").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(date_of("1709633200").as_deref(), Some("2024-03-05"));
        assert_eq!(date_of("1709633200000").as_deref(), Some("2024-03-05"));
        assert_eq!(date_of("yesterday"), None);
    }
}
