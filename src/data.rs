//! Rule files other than lexicons (`mail.toml`, `<lang>/language.toml`), embedded from
//! `rules/` at build time. Lexicons ship precompiled (see `lexicon::PRECOMPILED`).

use serde::de::DeserializeOwned;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// The text of an embedded rule file, by its path under `rules/` (`ru/jargon.toml`).
pub fn embedded(path: &str) -> Option<&'static str> {
    EMBEDDED_RULE_FILES
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, text)| *text)
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
