//! Embeds the rule data under `rules/` and the rules' doc comments into the binary, so a
//! new lexicon or language folder needs no code change and `replylint explain` prints the
//! same text that heads each rule's source file. Lexicons are parsed and stemmed here, once,
//! with the same code the linter uses at run time (src/analysis/stem.rs), so a one-shot
//! `replylint check` starts without stemming thousands of phrases.

#[path = "src/analysis/stem.rs"]
#[allow(dead_code)]
mod stem;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());

    let mut data_files = Vec::new();
    collect_toml(&root.join("rules"), &mut data_files);
    data_files.sort();
    // Lexicons ship precompiled (below); only the other rule files ship as text.
    let mut generated = String::from("pub static EMBEDDED_RULE_FILES: &[(&str, &str)] = &[\n");
    for path in data_files
        .iter()
        .filter(|p| !is_lexicon(&root.join("rules"), p))
    {
        let relative = path.strip_prefix(root.join("rules")).unwrap();
        let relative = relative.to_string_lossy().replace('\\', "/");
        writeln!(
            generated,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    generated.push_str("];\n");
    fs::write(out.join("embedded_rules.rs"), generated).unwrap();
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/analysis/stem.rs");
    fs::write(
        out.join("precompiled_lexicons.rs"),
        precompile_lexicons(&root.join("rules"), &data_files),
    )
    .unwrap();

    let mut docs = String::from("pub static RULE_DOCS: &[(&str, &str)] = &[\n");
    let mut rule_files: Vec<_> = fs::read_dir(root.join("src/rules"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("mod.rs"))
        .collect();
    rule_files.sort();
    for path in rule_files {
        let source = fs::read_to_string(&path).unwrap();
        let doc: Vec<&str> = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .or_else(|| l.strip_prefix("//!"))
                    .unwrap_or("")
            })
            .collect();
        let id = doc
            .first()
            .and_then(|l| l.split(':').next())
            .unwrap_or("")
            .trim();
        if !id.is_empty() {
            writeln!(docs, "    ({id:?}, {:?}),", doc.join("\n")).unwrap();
        }
        println!("cargo:rerun-if-changed={}", path.display());
    }
    docs.push_str("];\n");
    fs::write(out.join("rule_docs.rs"), docs).unwrap();
    println!("cargo:rerun-if-changed=src/rules");
}

fn collect_toml(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_toml(&path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default, rename = "term")]
    terms: Vec<TermFile>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    phrases: Vec<String>,
    help: Option<String>,
    tag: Option<String>,
}

/// A lexicon is any `rules/<lang>/<name>.toml` but `language.toml`.
fn is_lexicon(rules: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(rules).unwrap();
    relative.components().count() == 2 && !relative.ends_with("language.toml")
}

/// Every `rules/<lang>/<lexicon>.toml` (not `language.toml`) as static Rust data with its
/// automaton patterns. A bad file fails the build with its path and the TOML error.
fn precompile_lexicons(rules: &Path, files: &[PathBuf]) -> String {
    let mut out = String::from("pub(crate) static PRECOMPILED: &[PrecompiledLexicon] = &[\n");
    for path in files.iter().filter(|p| is_lexicon(rules, p)) {
        let relative = path.strip_prefix(rules).unwrap();
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().to_string())
            .collect();
        let [lang, file] = parts.as_slice() else {
            continue;
        };
        let name = file.trim_end_matches(".toml");
        let text = fs::read_to_string(path).unwrap();
        let lexicon: LexiconFile = toml::from_str(&text)
            .unwrap_or_else(|err| panic!("rules/{lang}/{file} is invalid: {err}"));
        let stemmer = stem::WordStemmer::for_language(lang);
        writeln!(
            out,
            "    PrecompiledLexicon {{ lang: {lang:?}, name: {name:?}, terms: &["
        )
        .unwrap();
        for term in &lexicon.terms {
            assert!(
                !term.phrases.is_empty(),
                "rules/{lang}/{file}: a term without phrases"
            );
            let mut patterns = Vec::new();
            for phrase in &term.phrases {
                if let Some(problem) = stem::phrase_problem(phrase) {
                    panic!("rules/{lang}/{file}: phrase {phrase:?}: {problem}");
                }
                patterns.extend(stem::phrase_pattern(phrase, &stemmer));
            }
            writeln!(
                out,
                "        PrecompiledTerm {{ phrases: &{:?}, help: {:?}, tag: {:?}, patterns: &{:?} }},",
                term.phrases, term.help, term.tag, patterns
            )
            .unwrap();
        }
        out.push_str("    ] },\n");
    }
    out.push_str("];\n");
    out
}
