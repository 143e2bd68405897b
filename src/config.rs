//! `replylint.toml`: which rules run, how severe they are, their thresholds, extra lexicons.
//!
//! ```toml
//! select = ["jargon", "excessive-length"]   # default: every rule
//! ignore = ["pushy-upsell"]
//! fail-on = "warning"                       # error | warning | info | never
//! lang = "ru"                               # when a thread gives no hint and no clue
//! lexicons = ["lexicons"]                   # folders of <lang>/<lexicon>.toml, added to ours
//!
//! [rules.jargon]
//! severity = "info"
//!
//! [rules.excessive-length]
//! chat-max-words = 120
//! ```
//!
//! Every mistake is reported with the file, the line and the offending text.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::language::Lang;
use crate::lexicon::{LexiconFile, Term, UserLexicon, phrase_problem};
use crate::rules;

/// The file name looked for in the current directory and its parents.
pub const CONFIG_FILE_NAME: &str = "replylint.toml";

/// The level at which `check` and `audit` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl FailOn {
    pub fn parse(text: &str) -> Option<FailOn> {
        match text {
            "never" | "none" => Some(FailOn::Never),
            other => other.parse().ok().map(FailOn::Severity),
        }
    }

    pub fn fails(self, severity: Severity) -> bool {
        matches!(self, FailOn::Severity(level) if severity >= level)
    }
}

/// A rule's settings from the config.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub severity: Option<Severity>,
    /// Thresholds and other options, validated by the rule when the linter is built.
    pub options: BTreeMap<String, toml::Value>,
}

/// A loaded configuration. `Config::default()` runs every rule with its defaults.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Rules to run; `None` means all.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
    /// Language used when a thread gives no hint and its text gives no clue.
    pub default_lang: Option<Lang>,
    pub rules: BTreeMap<String, RuleSettings>,
    pub lexicons: Vec<UserLexicon>,
    /// Where the config came from, if from a file.
    pub path: Option<PathBuf>,
}

/// A problem in a config or lexicon file, pointing at the offending text. Boxed: errors are
/// rare and the `Ok` path should stay small.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct ConfigError(Box<ConfigProblem>);

/// The details of a [`ConfigError`].
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{location}: {message}")]
pub struct ConfigProblem {
    pub message: String,
    /// `path:line:column`, or the path alone.
    pub location: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    help: Option<String>,
}

impl ConfigError {
    fn at(
        path: &Path,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> ConfigError {
        let location = match &span {
            Some(range) => {
                let before = &text[..range.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("{}:{line}:{column}", path.display())
            }
            None => path.display().to_string(),
        };
        ConfigError(Box::new(ConfigProblem {
            message: message.into(),
            location,
            source_code: NamedSource::new(path.display().to_string(), text.to_string()),
            span: span.map(|r| SourceSpan::from(r.start..r.end)),
            label: "here".into(),
            help: None,
        }))
    }

    fn with_help(mut self, help: impl Into<String>) -> ConfigError {
        self.0.help = Some(help.into());
        self
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// An error about a path that could not be read at all.
    pub fn unreadable(path: &Path, err: &std::io::Error) -> ConfigError {
        ConfigError::at(path, "", None, format!("cannot read: {err}"))
    }
}

/// `[rules.<id>]` tables: option name -> value, with spans for error messages.
type RawRuleTables = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    lang: Option<Spanned<String>>,
    lexicons: Option<Vec<Spanned<String>>>,
    rules: Option<RawRuleTables>,
}

impl Config {
    /// Finds `replylint.toml` in `start` or the nearest parent that has one.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// Reads and validates a config file, with its lexicon folders.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = fs::read_to_string(path).map_err(|err| ConfigError::unreadable(path, &err))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config = Config::parse(path, &text, base)?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses config text; `base` resolves relative lexicon folders.
    pub fn parse(path: &Path, text: &str, base: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            ConfigError::at(path, text, err.span(), err.message().trim_end().to_string())
        })?;
        let known = |name: &Spanned<String>| -> Result<String, ConfigError> {
            if rules::is_known(name.get_ref()) {
                Ok(name.get_ref().clone())
            } else {
                Err(ConfigError::at(
                    path,
                    text,
                    Some(name.span()),
                    format!("unknown rule `{}`", name.get_ref()),
                )
                .with_help(format!("known rules: {}", rules::ids().join(", "))))
            }
        };
        let mut config = Config::default();
        if let Some(select) = &raw.select {
            let mut ids = Vec::new();
            for name in select {
                if name.get_ref() == "ALL" || name.get_ref() == "all" {
                    ids.extend(rules::ids().iter().map(|s| s.to_string()));
                } else {
                    ids.push(known(name)?);
                }
            }
            config.select = Some(ids);
        }
        for name in raw.ignore.iter().flatten() {
            config.ignore.push(known(name)?);
        }
        if let Some(level) = &raw.fail_on {
            config.fail_on = Some(FailOn::parse(level.get_ref()).ok_or_else(|| {
                ConfigError::at(
                    path,
                    text,
                    Some(level.span()),
                    format!("unknown fail level `{}`", level.get_ref()),
                )
                .with_help("use one of: error, warning, info, never")
            })?);
        }
        if let Some(lang) = &raw.lang {
            config.default_lang = Some(Lang::from_code(lang.get_ref()).ok_or_else(|| {
                ConfigError::at(
                    path,
                    text,
                    Some(lang.span()),
                    format!("unsupported language `{}`", lang.get_ref()),
                )
                .with_help("supported: en, ru, bg")
            })?);
        }
        for (name, options) in raw.rules.iter().flatten() {
            let id = known(name)?;
            let mut settings = RuleSettings::default();
            for (key, value) in options {
                if key.get_ref() == "severity" {
                    let severity = value
                        .get_ref()
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| {
                            ConfigError::at(
                                path,
                                text,
                                Some(value.span()),
                                "severity must be \"error\", \"warning\" or \"info\"",
                            )
                        })?;
                    settings.severity = Some(severity);
                } else if let Err(message) =
                    rules::validate_option(&id, key.get_ref(), value.get_ref())
                {
                    return Err(ConfigError::at(path, text, Some(key.span()), message));
                } else {
                    settings
                        .options
                        .insert(key.get_ref().clone(), value.get_ref().clone());
                }
            }
            config.rules.insert(id, settings);
        }
        for folder in raw.lexicons.iter().flatten() {
            let dir = base.join(folder.get_ref());
            if !dir.is_dir() {
                return Err(ConfigError::at(
                    path,
                    text,
                    Some(folder.span()),
                    format!("lexicon folder `{}` does not exist", dir.display()),
                ));
            }
            config.lexicons.extend(load_lexicon_folder(&dir)?);
        }
        Ok(config)
    }

    /// Settings of one rule (defaults when the config says nothing).
    pub fn rule(&self, id: &str) -> RuleSettings {
        self.rules.get(id).cloned().unwrap_or_default()
    }

    /// Whether a rule runs under this config.
    pub fn is_enabled(&self, id: &str) -> bool {
        let selected = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == id));
        selected && !self.ignore.iter().any(|x| x == id)
    }
}

/// Reads `<dir>/<lang>/<lexicon>.toml` files.
pub fn load_lexicon_folder(dir: &Path) -> Result<Vec<UserLexicon>, ConfigError> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|err| ConfigError::unreadable(dir, &err))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_file() && entry.extension().is_some_and(|e| e == "toml") {
            return Err(
                ConfigError::at(&entry, "", None, "lexicon files go in a language folder")
                    .with_help(format!(
                        "move it to {}/<en|ru|bg>/<lexicon>.toml",
                        dir.display()
                    )),
            );
        }
        if !entry.is_dir() {
            continue;
        }
        let folder_name = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let lang = Lang::from_code(&folder_name).ok_or_else(|| {
            ConfigError::at(
                &entry,
                "",
                None,
                format!("`{folder_name}` is not a supported language folder"),
            )
            .with_help("use en, ru or bg")
        })?;
        let mut files: Vec<PathBuf> = fs::read_dir(&entry)
            .map_err(|err| ConfigError::unreadable(&entry, &err))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for file in files {
            out.push(load_lexicon_file(&file, lang)?);
        }
    }
    Ok(out)
}

fn load_lexicon_file(path: &Path, lang: Lang) -> Result<UserLexicon, ConfigError> {
    let text = fs::read_to_string(path).map_err(|err| ConfigError::unreadable(path, &err))?;
    let name = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    if !rules::lexicon_names().contains(&name.as_str()) {
        return Err(ConfigError::at(
            path,
            &text,
            None,
            format!("no rule reads a lexicon named `{name}`"),
        )
        .with_help(format!(
            "name the file after one of: {}",
            rules::lexicon_names().join(", ")
        )));
    }
    let file: LexiconFile = toml::from_str(&text).map_err(|err| {
        ConfigError::at(
            path,
            &text,
            err.span(),
            err.message().trim_end().to_string(),
        )
    })?;
    let mut terms = Vec::new();
    for term in file.terms {
        for phrase in &term.phrases {
            if let Some(problem) = phrase_problem(phrase.get_ref()) {
                return Err(ConfigError::at(path, &text, Some(phrase.span()), problem));
            }
        }
        terms.push(Term::from(term));
    }
    Ok(UserLexicon {
        lang,
        name,
        path: path.to_path_buf(),
        terms,
    })
}
