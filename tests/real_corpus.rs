//! False-alarm rates on real, unlabelled support conversations (`../shared/corpora-real/`):
//! the share of real agent replies each rule flags. Real agents write mostly ordinary
//! replies, so a rule that flags a large share of them is crying wolf. Skipped when the
//! folder is absent.
//!
//! `cargo test --release --test real_corpus -- --nocapture` prints the table;
//! `REPLYLINT_REAL_SAMPLES=rule-id` prints flagged replies of one rule to read.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use replylint::{Linter, Role, input};

/// Ceiling on the share of real replies one rule may flag, per corpus.
const CEILING: f64 = 0.15;

/// The English set comes from a help-article prediction task: by construction most of its
/// replies hand over an article, and a good share of them do nothing else.
const CEILINGS: &[(&str, &str, f64)] = &[("ibm-twitter-customer-care.jsonl", "faq-link-only", 0.5)];

#[test]
fn real_replies_are_rarely_flagged() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora-real");
    let Ok(entries) = fs::read_dir(&dir) else {
        eprintln!("{} not found: skipped", dir.display());
        return;
    };
    let sample_rule = std::env::var("REPLYLINT_REAL_SAMPLES").ok();
    let linter = Linter::new();
    let mut failures = Vec::new();
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (mut replies, mut flagged_replies) = (0usize, 0usize);
        let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
        let mut samples = 0;
        for (index, line) in text.lines().enumerate() {
            let thread = input::parse_thread(&name, line, index).expect("real corpus lines parse");
            let findings = linter.audit(&thread);
            for (i, message) in thread.messages.iter().enumerate() {
                if message.role != Role::Agent {
                    continue;
                }
                replies += 1;
                let mut rules: Vec<&str> = findings
                    .iter()
                    .filter(|d| d.message_index == i)
                    .map(|d| d.rule.as_str())
                    .collect();
                rules.sort_unstable();
                rules.dedup();
                flagged_replies += usize::from(!rules.is_empty());
                for rule in rules {
                    *per_rule.entry(rule.to_string()).or_default() += 1;
                    if sample_rule.as_deref() == Some(rule) && samples < 15 {
                        samples += 1;
                        let d = findings
                            .iter()
                            .find(|d| d.message_index == i && d.rule == rule)
                            .unwrap();
                        let customer = thread.messages[..i]
                            .iter()
                            .rev()
                            .find(|m| m.role == Role::Customer)
                            .map_or("", |m| m.text.as_str());
                        println!(
                            "--- {} #{i}\n  customer: {customer}\n  agent: {}\n  => {}",
                            thread.id.as_deref().unwrap_or("?"),
                            message.text,
                            d.message
                        );
                    }
                }
            }
        }
        println!(
            "\n{name}: {replies} agent replies, {flagged_replies} flagged ({:.1}%)",
            100.0 * flagged_replies as f64 / replies.max(1) as f64
        );
        for (rule, count) in &per_rule {
            let rate = *count as f64 / replies.max(1) as f64;
            println!("  {rule:<24} {count:>6}  {:>5.1}%", 100.0 * rate);
            let ceiling = CEILINGS
                .iter()
                .find(|(file, r, _)| *file == name && r == rule)
                .map_or(CEILING, |(_, _, c)| *c);
            if rate > ceiling {
                failures.push(format!(
                    "{name}: {rule} flags {:.1}% of real replies",
                    100.0 * rate
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "rules crying wolf on real replies:\n{}",
        failures.join("\n")
    );
}
