//! Language detection on short, real-looking support messages (tests/data/lang/<lang>.txt,
//! one message per line). Short Russian and Bulgarian are where generic detectors fail.

use std::fs;
use std::path::Path;

use replylint::Lang;
use replylint::language::detect;

fn messages(lang: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/lang")
        .join(format!("{lang}.txt"));
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn short_messages_are_detected() {
    let mut report = Vec::new();
    let mut total_wrong = 0;
    for lang in Lang::ALL {
        let samples = messages(lang.code());
        assert!(
            samples.len() >= 30,
            "{lang}: need at least 30 samples, have {}",
            samples.len()
        );
        let wrong: Vec<String> = samples
            .iter()
            .filter(|m| detect(m).map(|d| d.lang) != Some(lang))
            .map(|m| format!("  {lang}: {m:?} -> {:?}", detect(m).map(|d| d.lang)))
            .collect();
        println!(
            "{lang}: {}/{} right",
            samples.len() - wrong.len(),
            samples.len()
        );
        total_wrong += wrong.len();
        report.extend(wrong);
    }
    // Every sample should be right; one slip per language is tolerated for messages that are
    // ambiguous even to a person ("ok", a bare order number).
    assert!(total_wrong <= 3, "misdetected:\n{}", report.join("\n"));
}
