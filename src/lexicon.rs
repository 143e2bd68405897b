//! Lexicons: lists of terms per language, written as TOML under `rules/<lang>/`, compiled once
//! per language into one Aho-Corasick automaton over word stems.
//!
//! Matching runs on the stems of a message's words, so one entry matches its inflected forms
//! (заказ / заказа / заказом, поръчка / поръчката), always on whole words, never across a
//! sentence boundary. A phrase whose last word ends in `*` matches any word that starts with
//! it (`эскал*` matches эскалировали and эскалацию).
//!
//! ```toml
//! description = "Internal and technical terms customers do not use."
//!
//! [[term]]
//! phrases = ["эскалировать", "эскалация", "эскал*"]
//! help = "скажите, что передали вопрос специалисту"
//! tag = "internal"
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::analysis::{WordStemmer, normalize};
use crate::data;
use crate::language::Lang;

/// Index of a lexicon inside its language pack.
pub type LexiconId = usize;

/// One entry of a lexicon: several phrasings of the same thing, with the help shown when a
/// rule reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub phrases: Vec<String>,
    pub help: Option<String>,
    pub tag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Lexicon {
    pub name: String,
    pub terms: Vec<Term>,
}

/// The file format of a lexicon.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "term")]
    pub terms: Vec<TermFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    pub phrases: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
}

/// A lexicon file a user added through the config, already read and validated.
#[derive(Debug, Clone)]
pub struct UserLexicon {
    pub lang: Lang,
    pub name: String,
    pub path: PathBuf,
    pub terms: Vec<Term>,
}

/// A match of a lexicon term on a message's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub lexicon: LexiconId,
    pub term: usize,
    /// Word indices of the message.
    pub words: Range<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Target {
    lexicon: LexiconId,
    term: usize,
    words: usize,
}

/// Everything language-specific that analysis needs: the stemmer and every lexicon of the
/// language, compiled into one automaton so a message is scanned once for all rules.
pub struct LanguagePack {
    pub lang: Lang,
    pub stemmer: WordStemmer,
    lexicons: Vec<Lexicon>,
    by_name: HashMap<String, LexiconId>,
    automaton: Option<AhoCorasick>,
    /// Per automaton pattern, every (lexicon, term) that wrote it.
    targets: Vec<Vec<Target>>,
}

/// The sentence separator in the stem stream: never a stem, so no phrase spans it.
const SENTENCE_BREAK: &str = "\u{1}";

impl LanguagePack {
    /// Builds the pack from the embedded lexicons of `lang` plus the user's.
    pub fn build(lang: Lang, user: &[UserLexicon]) -> LanguagePack {
        let mut lexicons: Vec<Lexicon> = Vec::new();
        let mut by_name: HashMap<String, LexiconId> = HashMap::new();
        let mut add = |name: &str, terms: Vec<Term>, lexicons: &mut Vec<Lexicon>| {
            let id = *by_name.entry(name.to_string()).or_insert_with(|| {
                lexicons.push(Lexicon {
                    name: name.to_string(),
                    terms: Vec::new(),
                });
                lexicons.len() - 1
            });
            lexicons[id].terms.extend(terms);
        };
        for (name, text) in data::embedded_in(lang.code()) {
            if name == "language" {
                continue;
            }
            let file: LexiconFile = toml::from_str(text).unwrap_or_else(|err| {
                panic!(
                    "embedded rule file rules/{}/{name}.toml is invalid: {err}",
                    lang.code()
                )
            });
            add(
                name,
                file.terms.into_iter().map(Term::from).collect(),
                &mut lexicons,
            );
        }
        for lexicon in user.iter().filter(|l| l.lang == lang) {
            add(&lexicon.name, lexicon.terms.clone(), &mut lexicons);
        }

        let stemmer = WordStemmer::new(lang);
        let mut pattern_index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        for (lexicon_id, lexicon) in lexicons.iter().enumerate() {
            for (term_id, term) in lexicon.terms.iter().enumerate() {
                for phrase in &term.phrases {
                    let Some((pattern, words)) = compile_phrase(phrase, &stemmer) else {
                        continue;
                    };
                    let index = *pattern_index.entry(pattern.clone()).or_insert_with(|| {
                        patterns.push(pattern);
                        targets.push(Vec::new());
                        targets.len() - 1
                    });
                    targets[index].push(Target {
                        lexicon: lexicon_id,
                        term: term_id,
                        words,
                    });
                }
            }
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("lexicon patterns are plain strings of bounded size")
        });
        LanguagePack {
            lang,
            stemmer,
            lexicons,
            by_name,
            automaton,
            targets,
        }
    }

    pub fn lexicon_id(&self, name: &str) -> Option<LexiconId> {
        self.by_name.get(name).copied()
    }

    pub fn lexicon(&self, id: LexiconId) -> &Lexicon {
        &self.lexicons[id]
    }

    pub fn term(&self, hit: &Hit) -> &Term {
        &self.lexicons[hit.lexicon].terms[hit.term]
    }

    /// Finds every lexicon term in a sequence of word stems. `sentence_of` gives each word's
    /// sentence so that no phrase matches across two sentences.
    pub fn scan(&self, stems: &[&str], sentence_of: &[usize]) -> Vec<Hit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut haystack =
            String::with_capacity(stems.iter().map(|s| s.len() + 1).sum::<usize>() + 2);
        let mut word_starts = Vec::with_capacity(stems.len());
        haystack.push(' ');
        for (i, stem) in stems.iter().enumerate() {
            if i > 0 && sentence_of.get(i) != sentence_of.get(i - 1) {
                haystack.push_str(SENTENCE_BREAK);
                haystack.push(' ');
            }
            word_starts.push(haystack.len());
            haystack.push_str(stem);
            haystack.push(' ');
        }
        let mut hits = Vec::new();
        for m in automaton.find_overlapping_iter(&haystack) {
            // Patterns start with a space, so the first word starts right after it.
            let Ok(first) = word_starts.binary_search(&(m.start() + 1)) else {
                continue;
            };
            for target in &self.targets[m.pattern().as_usize()] {
                hits.push(Hit {
                    lexicon: target.lexicon,
                    term: target.term,
                    words: first..first + target.words,
                });
            }
        }
        remove_overlaps(hits)
    }
}

impl From<TermFile> for Term {
    fn from(file: TermFile) -> Term {
        Term {
            phrases: file
                .phrases
                .into_iter()
                .map(toml::Spanned::into_inner)
                .collect(),
            help: file.help,
            tag: file.tag,
        }
    }
}

/// Why a phrase cannot be compiled, for validating user lexicons.
pub fn phrase_problem(phrase: &str) -> Option<&'static str> {
    let words: Vec<&str> = phrase.unicode_words().collect();
    if words.is_empty() {
        return Some("the phrase has no words");
    }
    let stars = phrase.matches('*').count();
    if stars > 1 || (stars == 1 && !phrase.trim_end().ends_with('*')) {
        return Some("`*` may only end the last word of a phrase");
    }
    None
}

/// " stem1 stem2 " for a whole-word phrase, " stem1 prefix" for one ending in `*`.
fn compile_phrase(phrase: &str, stemmer: &WordStemmer) -> Option<(String, usize)> {
    if phrase_problem(phrase).is_some() {
        return None;
    }
    let is_prefix = phrase.trim_end().ends_with('*');
    let normalized = normalize(phrase);
    let words: Vec<&str> = normalized.unicode_words().collect();
    let mut pattern = String::from(" ");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            pattern.push(' ');
        }
        if is_prefix && i + 1 == words.len() {
            pattern.push_str(word);
        } else {
            pattern.push_str(&stemmer.stem(word));
        }
    }
    if !is_prefix {
        pattern.push(' ');
    }
    Some((pattern, words.len()))
}

/// Within one lexicon, keeps the longest of overlapping hits (a phrase beats its own first
/// word); hits of different lexicons may overlap, each rule reads its own.
fn remove_overlaps(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.lexicon, h.words.start, std::cmp::Reverse(h.words.end)));
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        // Kept hits of a lexicon are sorted and disjoint, so the last one reaches furthest:
        // checking it alone is the same test as checking them all, in constant time (a
        // long message has thousands of function-word hits).
        let overlaps = kept.last().is_some_and(|k| {
            k.lexicon == hit.lexicon
                && k.words.start < hit.words.end
                && hit.words.start < k.words.end
        });
        if !overlaps {
            kept.push(hit);
        }
    }
    kept.sort_by_key(|h| (h.words.start, h.lexicon));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_with(lang: Lang, phrases: &[&str]) -> LanguagePack {
        let user = UserLexicon {
            lang,
            name: "test-lexicon".into(),
            path: PathBuf::from("test.toml"),
            terms: vec![Term {
                phrases: phrases.iter().map(|s| s.to_string()).collect(),
                help: None,
                tag: None,
            }],
        };
        LanguagePack::build(lang, &[user])
    }

    fn matches(pack: &LanguagePack, text: &str) -> Vec<String> {
        let words: Vec<String> = text.unicode_words().map(normalize).collect();
        let stems: Vec<String> = words.iter().map(|w| pack.stemmer.stem(w)).collect();
        let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
        let sentences = vec![0; stems.len()];
        let id = pack.lexicon_id("test-lexicon").unwrap();
        pack.scan(&stems, &sentences)
            .into_iter()
            .filter(|h| h.lexicon == id)
            .map(|h| words[h.words].join(" "))
            .collect()
    }

    #[test]
    fn matches_inflected_forms_on_whole_words() {
        let pack = pack_with(Lang::Ru, &["номер заказа", "эскал*"]);
        assert_eq!(
            matches(&pack, "Уточните номер вашего заказа"),
            Vec::<String>::new()
        );
        assert_eq!(matches(&pack, "по номеру заказа"), vec!["номеру заказа"]);
        assert_eq!(
            matches(&pack, "Мы эскалировали вопрос, эскалацию"),
            vec!["эскалировали", "эскалацию"]
        );
        assert!(matches(&pack, "деэскалация").is_empty());
    }

    #[test]
    fn bulgarian_articles() {
        let pack = pack_with(Lang::Bg, &["номер на поръчка"]);
        assert_eq!(
            matches(&pack, "Номера на поръчката е"),
            vec!["номера на поръчката"]
        );
    }

    #[test]
    fn prefers_the_longest_phrase() {
        let pack = pack_with(Lang::En, &["ticket", "ticket id"]);
        assert_eq!(matches(&pack, "your ticket ID is"), vec!["ticket id"]);
    }

    #[test]
    fn rejects_misplaced_stars() {
        assert!(phrase_problem("esc* team").is_some());
        assert!(phrase_problem("  ").is_some());
        assert!(phrase_problem("escal*").is_none());
    }
}
