//! Every rule carries its documentation next to its code, and `explain` prints it.

use replylint::rules;

#[test]
fn every_rule_is_documented() {
    for rule in rules::all() {
        let doc = rules::doc(rule.id()).unwrap_or_else(|| panic!("{} has no //! doc", rule.id()));
        assert!(
            doc.starts_with(&format!("{}: ", rule.id())),
            "{}: doc must start with `id: summary`",
            rule.id()
        );
        for section in ["What it does:", "Why:", "Bad:", "Good:"] {
            assert!(
                doc.contains(section),
                "{}: doc lacks `{section}`",
                rule.id()
            );
        }
        assert!(
            doc.contains("Seed 0"),
            "{}: doc must name the seed it comes from",
            rule.id()
        );
        assert!(!rule.summary().is_empty());
    }
}

#[test]
fn rule_ids_are_kebab_case_and_unique() {
    let ids = rules::ids();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate rule ids");
    for id in ids {
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id} is not kebab-case"
        );
    }
}
