//! The quality regression suite: lints every labelled case under `corpora/`, prints
//! precision, recall and F1 per rule and language, and fails when a figure drops under the
//! floor in `corpora/floors.toml` or a rule lacks cases.
//!
//! `cargo test --test corpus -- --nocapture` prints the table;
//! `REPLYLINT_CORPUS_MISSES=1` also lists every miss and false alarm.
//! `REPLYLINT_CORPUS_NOTE=blind-5` measures only the cases whose note contains that text (a
//! held-out set, say) and prints its table without checking the floors, which are set for
//! the whole corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use replylint::{Linter, input, rules};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expectation {
    rule: String,
    #[serde(default)]
    excerpt: Option<String>,
}

#[derive(Deserialize)]
struct Labels {
    id: String,
    expect: Vec<Expectation>,
    #[serde(default)]
    note: Option<String>,
}

struct Case {
    path: PathBuf,
    lang: String,
    folder: String,
    labels: Labels,
    thread: replylint::Conversation,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    positives: usize,
    negatives: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora")
}

fn load_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for lang in ["en", "ru", "bg"] {
        let Ok(folders) = fs::read_dir(corpus_root().join(lang)) else {
            continue;
        };
        for folder in folders.flatten().filter(|f| f.path().is_dir()) {
            let folder_name = folder.file_name().to_string_lossy().to_string();
            let mut files: Vec<PathBuf> = fs::read_dir(folder.path())
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            for path in files {
                let text = fs::read_to_string(&path).unwrap();
                let labels: Labels = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: bad labels: {e}", path.display()));
                let thread = input::parse_thread(&path.display().to_string(), &text, 0)
                    .unwrap_or_else(|e| panic!("{e}"));
                cases.push(Case {
                    path,
                    lang: lang.to_string(),
                    folder: folder_name.clone(),
                    labels,
                    thread,
                });
            }
        }
    }
    cases
}

/// Rule -> lang -> (precision floor, recall floor).
fn floors() -> BTreeMap<String, BTreeMap<String, (f64, f64)>> {
    #[derive(Deserialize)]
    struct Floor {
        precision: f64,
        recall: f64,
    }
    let text = fs::read_to_string(corpus_root().join("floors.toml")).expect("corpora/floors.toml");
    let raw: BTreeMap<String, BTreeMap<String, Floor>> =
        toml::from_str(&text).expect("valid floors.toml");
    raw.into_iter()
        .map(|(rule, langs)| {
            (
                rule,
                langs
                    .into_iter()
                    .map(|(l, f)| (l, (f.precision, f.recall)))
                    .collect(),
            )
        })
        .collect()
}

fn overlaps(draft: &str, excerpt: &str, span: replylint::Span) -> bool {
    draft
        .match_indices(excerpt)
        .any(|(start, m)| start < span.end && span.start < start + m.len())
}

#[test]
fn corpus_quality_meets_floors() {
    let mut cases = load_cases();
    assert!(!cases.is_empty(), "no corpus cases found");
    let subset = std::env::var("REPLYLINT_CORPUS_NOTE").ok();
    if let Some(wanted) = &subset {
        cases.retain(|c| {
            c.labels
                .note
                .as_deref()
                .is_some_and(|n| n.contains(wanted.as_str()))
        });
        assert!(
            !cases.is_empty(),
            "no corpus case has {wanted:?} in its note"
        );
    }
    let linter = Linter::new();
    let implemented: BTreeSet<&str> = rules::ids().into_iter().collect();
    let mut table: BTreeMap<(String, String), Counts> = BTreeMap::new();
    let mut misses = Vec::new();
    let verbose = std::env::var_os("REPLYLINT_CORPUS_MISSES").is_some();

    for case in &cases {
        let draft = &case.thread.messages.last().unwrap().text;
        let found = linter.check(&case.thread);
        for rule in &implemented {
            let expected: Vec<&Expectation> = case
                .labels
                .expect
                .iter()
                .filter(|e| e.rule == *rule)
                .collect();
            let fired: Vec<_> = found.iter().filter(|d| d.rule == *rule).collect();
            let counts = table
                .entry((rule.to_string(), case.lang.clone()))
                .or_default();
            if expected.is_empty() {
                counts.negatives += 1;
                if !fired.is_empty() {
                    counts.fp += 1;
                    misses.push(format!(
                        "FP {rule:<22} {} {}: {}",
                        case.labels.id,
                        case.path.display(),
                        fired[0].message
                    ));
                }
                continue;
            }
            counts.positives += 1;
            let placed = expected.iter().all(|e| match &e.excerpt {
                Some(excerpt) => fired.iter().any(|d| overlaps(draft, excerpt, d.span)),
                None => !fired.is_empty(),
            });
            if placed {
                counts.tp += 1;
            } else {
                counts.fn_ += 1;
                let what = if fired.is_empty() {
                    "missed".to_string()
                } else {
                    format!("wrong span: {}", fired[0].message)
                };
                misses.push(format!(
                    "FN {rule:<22} {} {}: {what}",
                    case.labels.id,
                    case.path.display()
                ));
            }
        }
    }

    println!(
        "\n{:<22} {:<4} {:>5} {:>5} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
        "rule", "lang", "pos", "neg", "tp", "fp", "fn", "P", "R", "F1"
    );
    for ((rule, lang), c) in &table {
        println!(
            "{rule:<22} {lang:<4} {:>5} {:>5} {:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
            c.positives,
            c.negatives,
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    if verbose {
        misses.sort();
        for miss in &misses {
            println!("{miss}");
        }
    }

    if let Some(wanted) = subset {
        println!(
            "{} cases with {wanted:?} in their note; floors not checked",
            cases.len()
        );
        return;
    }
    let mut failures = Vec::new();
    for (rule, langs) in floors() {
        assert!(
            implemented.contains(rule.as_str()),
            "floors.toml names unknown rule {rule}"
        );
        for (lang, (min_precision, min_recall)) in langs {
            let c = table
                .get(&(rule.clone(), lang.clone()))
                .copied()
                .unwrap_or_default();
            if c.precision() < min_precision || c.recall() < min_recall {
                failures.push(format!(
                    "{rule}/{lang}: precision {:.3} (floor {min_precision}), recall {:.3} (floor {min_recall})",
                    c.precision(), c.recall()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "under the floor:\n{}",
        failures.join("\n")
    );
}

/// Every rule has cases of its own in every language: positives and near misses.
#[test]
fn every_rule_has_corpus_cases() {
    let cases = load_cases();
    let mut problems = Vec::new();
    for rule in rules::ids() {
        for lang in ["en", "ru", "bg"] {
            let own: Vec<&Case> = cases
                .iter()
                .filter(|c| c.lang == lang && c.folder == rule)
                .collect();
            let positives = own
                .iter()
                .filter(|c| c.labels.expect.iter().any(|e| e.rule == rule))
                .count();
            let negatives = own.len() - positives;
            // English has no formal/informal "you": that rule has near misses only there.
            let min_positives = if rule == "formality-mismatch" && lang == "en" {
                0
            } else {
                10
            };
            if positives < min_positives || negatives < 10 {
                problems.push(format!(
                    "{rule}/{lang}: {positives} positive, {negatives} near-miss cases"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "rules short of corpus cases:\n{}",
        problems.join("\n")
    );
}

/// Labels name only catalogue rules, and excerpts are in the draft.
#[test]
fn corpus_labels_are_well_formed() {
    const CATALOGUE: &[&str] = &[
        "unanswered-question",
        "redundant-request",
        "faq-link-only",
        "excessive-length",
        "jargon",
        "pushy-upsell",
        "piecemeal-request",
        "vague-timeline",
        "dismissive-tone",
        "missing-empathy",
        "unfilled-placeholder",
        "sensitive-data-request",
        "language-mismatch",
        "formality-mismatch",
        "overpromise",
        "shouting",
    ];
    for case in load_cases() {
        let last = case.thread.messages.last().unwrap();
        assert_eq!(
            last.role,
            replylint::Role::Agent,
            "{}: last message must be the draft",
            case.path.display()
        );
        for e in &case.labels.expect {
            assert!(
                CATALOGUE.contains(&e.rule.as_str()),
                "{}: unknown rule {}",
                case.path.display(),
                e.rule
            );
            if let Some(excerpt) = &e.excerpt {
                assert!(
                    last.text.contains(excerpt.as_str()),
                    "{}: excerpt not in draft: {excerpt}",
                    case.path.display()
                );
            }
        }
    }
}
