//! Rule data embedded from `rules/` at build time.

use serde::de::DeserializeOwned;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// The text of an embedded rule file, by its path under `rules/` (`ru/jargon.toml`).
pub fn embedded(path: &str) -> Option<&'static str> {
    EMBEDDED_RULE_FILES
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, text)| *text)
}

/// Embedded files of one language folder, as (file stem, text).
pub fn embedded_in(folder: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    EMBEDDED_RULE_FILES.iter().filter_map(move |(name, text)| {
        let rest = name.strip_prefix(folder)?.strip_prefix('/')?;
        let stem = rest.strip_suffix(".toml")?;
        (!stem.contains('/')).then_some((stem, *text))
    })
}

/// Parses an embedded file. The files ship with the binary and a test parses every one of
/// them, so a failure here is a build defect, reported loudly rather than hidden.
pub fn embedded_toml<T: DeserializeOwned + Default>(path: &str) -> T {
    match embedded(path) {
        Some(text) => toml::from_str(text)
            .unwrap_or_else(|err| panic!("embedded rule file rules/{path} is invalid: {err}")),
        None => T::default(),
    }
}
