//! Lexicons: lists of terms per language, written as TOML under `rules/<lang>/`, compiled once
//! per language: one-word entries (the bulk of every lexicon) into a hash map of stems,
//! phrases into an index by their first two words (each stem of a phrase numbered), and phrases
//! that end in a prefix into an Aho-Corasick automaton over the stems spelled out. A message
//! is scanned once for every lexicon; nothing at start-up is heavier than hashing the
//! shipped entries, which the build script has already parsed and stemmed.
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

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use std::path::PathBuf;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

pub use crate::analysis::phrase_problem;
use crate::analysis::{WordStemmer, phrase_pattern};
use crate::language::Lang;

/// Index of a lexicon inside its language pack.
pub type LexiconId = usize;

/// One entry of a lexicon: several phrasings of the same thing, with the help shown when a
/// rule reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub phrases: Vec<Cow<'static, str>>,
    pub help: Option<Cow<'static, str>>,
    pub tag: Option<Cow<'static, str>>,
}

/// A shipped lexicon, parsed and stemmed by the build script (see build.rs), so that a
/// one-shot `replylint check` does not stem thousands of phrases at start-up.
pub(crate) struct PrecompiledLexicon {
    pub lang: &'static str,
    pub name: &'static str,
    pub terms: &'static [PrecompiledTerm],
}

pub(crate) struct PrecompiledTerm {
    pub phrases: &'static [&'static str],
    pub help: Option<&'static str>,
    pub tag: Option<&'static str>,
    /// Automaton patterns and their word counts, as `phrase_pattern` makes them.
    pub patterns: &'static [(&'static str, usize)],
}

include!(concat!(env!("OUT_DIR"), "/precompiled_lexicons.rs"));

/// Names of the shipped lexicons, over all languages, sorted and without repeats.
pub fn shipped_lexicon_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = PRECOMPILED.iter().map(|l| l.name).collect();
    names.sort_unstable();
    names.dedup();
    names
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
    by_name: FxHashMap<String, LexiconId>,
    /// Phrases of several whole words by the ids of their first two words: the ids of the
    /// words that follow, and who wrote the phrase. (Keyed on one word, a common first word
    /// such as "не" or "please" would have hundreds of tails to compare.)
    phrases: FxHashMap<(u32, u32), Vec<PhraseTail>>,
    /// Every stem the lexicons know, by its [`KnownId`]: the one-word entries it is, and
    /// its id as a phrase word. One hash lookup per word of a message answers both.
    known_stems: FxHashMap<Cow<'static, str>, KnownId>,
    known: Vec<KnownStem>,
    /// Tells this pack from any other built in the process: a [`KnownId`] is only
    /// meaningful to the pack that gave it.
    pub(crate) identity: u64,
    /// Phrases whose last word is a prefix (`эскалир*`), over the stems spelled out.
    prefixes: Option<AhoCorasick>,
    prefix_targets: Vec<Vec<Target>>,
    /// The first bytes of every prefix phrase's first word ([`gate_key`]): a message none
    /// of whose stems starts so cannot match, and skips the automaton. `None` when a first
    /// word is too short to tell.
    prefix_gate: Option<FxHashSet<u64>>,
}

/// Bytes of a stem's start that [`LanguagePack::prefix_gate`] compares.
const GATE_BYTES: usize = 6;

fn gate_key(stem: &str) -> Option<u64> {
    let start: [u8; GATE_BYTES] = stem.as_bytes().get(..GATE_BYTES)?.try_into().ok()?;
    let mut key = [0u8; 8];
    key[..GATE_BYTES].copy_from_slice(&start);
    Some(u64::from_le_bytes(key))
}

/// A stem's index among the stems a pack's lexicons know ([`UNKNOWN_STEM`] for any other):
/// analysis looks it up once per distinct word and keeps it with the word.
pub type KnownId = u32;

/// The [`KnownId`] of a stem no lexicon has.
pub const UNKNOWN_STEM: KnownId = u32::MAX;

/// What the lexicons say of one stem. One-word entries (most of every lexicon) are found by
/// this hash lookup, which keeps the automaton small and quick to build at start-up.
#[derive(Default)]
struct KnownStem {
    /// The one-word entries the stem is.
    entries: Vec<Target>,
    /// Its id as a word of multi-word phrases; `UNKNOWN_ID` when no phrase has it.
    phrase_word: u32,
}

/// The stem of a whole-word one-word pattern (" stem "), which goes to the hash map rather
/// than the automaton; `None` for phrases and prefixes.
// The match on the Cow keeps a shipped pattern's 'static slice borrowed, not copied.
#[allow(clippy::ptr_arg)]
fn single_word(pattern: &Cow<'static, str>) -> Option<Cow<'static, str>> {
    let inner = pattern.strip_prefix(' ')?.strip_suffix(' ')?;
    if inner.contains(' ') || inner.is_empty() {
        return None;
    }
    Some(match pattern {
        Cow::Borrowed(text) => Cow::Borrowed(&text[1..text.len() - 1]),
        Cow::Owned(_) => Cow::Owned(inner.to_string()),
    })
}

/// The sentence separator in the stem stream: never a stem, so no phrase spans it.
const SENTENCE_BREAK: &str = "\u{1}";

impl LanguagePack {
    /// Builds the pack from the embedded lexicons of `lang` plus the user's.
    pub fn build(lang: Lang, user: &[UserLexicon]) -> LanguagePack {
        let mut lexicons: Vec<Lexicon> = Vec::new();
        let mut by_name: FxHashMap<String, LexiconId> = FxHashMap::default();
        let mut pattern_index: FxHashMap<Cow<'static, str>, usize> = FxHashMap::default();
        let mut patterns: Vec<Cow<'static, str>> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut single_words: FxHashMap<Cow<'static, str>, Vec<Target>> = FxHashMap::default();
        let mut add = |name: &str, term: Term, term_patterns: Vec<(Cow<'static, str>, usize)>| {
            let lexicon = *by_name.entry(name.to_string()).or_insert_with(|| {
                lexicons.push(Lexicon {
                    name: name.to_string(),
                    terms: Vec::new(),
                });
                lexicons.len() - 1
            });
            lexicons[lexicon].terms.push(term);
            let term = lexicons[lexicon].terms.len() - 1;
            for (pattern, words) in term_patterns {
                if let Some(stem) = single_word(&pattern) {
                    single_words.entry(stem).or_default().push(Target {
                        lexicon,
                        term,
                        words,
                    });
                    continue;
                }
                let index = *pattern_index.entry(pattern.clone()).or_insert_with(|| {
                    patterns.push(pattern);
                    targets.push(Vec::new());
                    targets.len() - 1
                });
                targets[index].push(Target {
                    lexicon,
                    term,
                    words,
                });
            }
        };
        for lexicon in PRECOMPILED.iter().filter(|l| l.lang == lang.code()) {
            for term in lexicon.terms {
                let compiled = term
                    .patterns
                    .iter()
                    .map(|(p, w)| (Cow::Borrowed(*p), *w))
                    .collect();
                let term = Term {
                    phrases: term.phrases.iter().map(|p| Cow::Borrowed(*p)).collect(),
                    help: term.help.map(Cow::Borrowed),
                    tag: term.tag.map(Cow::Borrowed),
                };
                add(lexicon.name, term, compiled);
            }
        }
        let stemmer = WordStemmer::for_language(lang.code());
        for lexicon in user.iter().filter(|l| l.lang == lang) {
            for term in &lexicon.terms {
                let compiled = term
                    .phrases
                    .iter()
                    .filter_map(|phrase| phrase_pattern(phrase, &stemmer))
                    .map(|(p, w)| (Cow::Owned(p), w))
                    .collect();
                add(&lexicon.name, term.clone(), compiled);
            }
        }
        // Whole-word phrases become id sequences; prefix phrases stay spelled out.
        let mut vocabulary: FxHashMap<Cow<'static, str>, u32> = FxHashMap::default();
        let mut phrases: FxHashMap<(u32, u32), Vec<PhraseTail>> = FxHashMap::default();
        let (mut prefix_patterns, mut prefix_targets) = (Vec::new(), Vec::new());
        for (pattern, targets) in patterns.into_iter().zip(targets) {
            if !pattern.ends_with(' ') {
                prefix_patterns.push(pattern);
                prefix_targets.push(targets);
                continue;
            }
            let ids: Vec<u32> = split_words(&pattern)
                .into_iter()
                .map(|word| {
                    let next = vocabulary.len() as u32 + 1;
                    *vocabulary.entry(word).or_insert(next)
                })
                .collect();
            // One-word patterns went to `single_words`: every phrase here has two words.
            let (Some(&first), Some(&second)) = (ids.first(), ids.get(1)) else {
                continue;
            };
            phrases
                .entry((first, second))
                .or_default()
                .push((ids[2..].into(), targets));
        }
        let automaton = |patterns: Vec<Vec<u8>>| {
            (!patterns.is_empty()).then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(patterns)
                    .expect("lexicon patterns are plain strings of bounded size")
            })
        };
        let mut known_by_stem: FxHashMap<Cow<'static, str>, KnownStem> = single_words
            .into_iter()
            .map(|(stem, mut entries)| {
                // In lexicon order, one entry per lexicon: the order and the overlap rule
                // of `remove_overlaps`, settled here once, so that a message whose hits are
                // all single words is already in order (see `scan`).
                entries.sort_by_key(|t| t.lexicon);
                entries.dedup_by_key(|t| t.lexicon);
                let entry = KnownStem {
                    entries,
                    phrase_word: UNKNOWN_ID,
                };
                (stem, entry)
            })
            .collect();
        for (stem, id) in vocabulary {
            known_by_stem.entry(stem).or_default().phrase_word = id;
        }
        let mut known = Vec::with_capacity(known_by_stem.len());
        let known_stems = known_by_stem
            .into_iter()
            .map(|(stem, entry)| {
                known.push(entry);
                (stem, (known.len() - 1) as KnownId)
            })
            .collect();
        static PACKS_BUILT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let prefix_gate = prefix_patterns
            .iter()
            .map(|p| gate_key(p.trim_start().split(' ').next().unwrap_or("")))
            .collect();
        LanguagePack {
            lang,
            prefix_gate,
            stemmer,
            lexicons,
            by_name,
            phrases,
            known_stems,
            known,
            identity: PACKS_BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            prefixes: automaton(
                prefix_patterns
                    .iter()
                    .map(|p| p.as_bytes().to_vec())
                    .collect(),
            ),
            prefix_targets,
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

    /// The [`KnownId`] of a stem.
    pub fn known_id(&self, stem: &str) -> KnownId {
        self.known_stems.get(stem).copied().unwrap_or(UNKNOWN_STEM)
    }

    /// Finds every lexicon term in a sequence of word stems. `sentence_of` gives each word's
    /// sentence so that no phrase matches across two sentences.
    pub fn scan(&self, stems: &[&str], sentence_of: &[usize]) -> Vec<Hit> {
        let known: Vec<KnownId> = stems.iter().map(|stem| self.known_id(stem)).collect();
        self.scan_known(stems, &known, sentence_of)
    }

    /// [`LanguagePack::scan`] for stems whose [`KnownId`]s the caller already has (from
    /// [`LanguagePack::known_id`] of this pack).
    pub fn scan_known(&self, stems: &[&str], known: &[KnownId], sentence_of: &[usize]) -> Vec<Hit> {
        // Function words alone are about every other word.
        let mut hits = Vec::with_capacity(stems.len());
        let mut ids: Vec<u32> = Vec::with_capacity(stems.len());
        for (i, &id) in known.iter().enumerate() {
            let Some(known) = self.known.get(id as usize) else {
                ids.push(UNKNOWN_ID);
                continue;
            };
            ids.push(known.phrase_word);
            for target in &known.entries {
                hits.push(Hit {
                    lexicon: target.lexicon,
                    term: target.term,
                    words: i..i + 1,
                });
            }
        }
        let single_word_hits = hits.len();
        let new_sentence = |i: usize| i > 0 && sentence_of.get(i) != sentence_of.get(i - 1);
        if !self.phrases.is_empty() {
            for (i, pair) in ids.windows(2).enumerate() {
                if pair.contains(&UNKNOWN_ID) || new_sentence(i + 1) {
                    continue;
                }
                let Some(candidates) = self.phrases.get(&(pair[0], pair[1])) else {
                    continue;
                };
                for (rest, targets) in candidates {
                    let end = i + 2 + rest.len();
                    let fits = end <= ids.len()
                        && ids[i + 2..end] == rest[..]
                        && (i + 2..end).all(|k| !new_sentence(k));
                    if fits {
                        for target in targets {
                            hits.push(Hit {
                                lexicon: target.lexicon,
                                term: target.term,
                                words: i..end,
                            });
                        }
                    }
                }
            }
        }
        let may_match_a_prefix = match &self.prefix_gate {
            Some(gate) => stems
                .iter()
                .any(|s| gate_key(s).is_some_and(|key| gate.contains(&key))),
            None => true,
        };
        if let Some(automaton) = self.prefixes.as_ref().filter(|_| may_match_a_prefix) {
            let mut haystack =
                String::with_capacity(stems.iter().map(|s| s.len() + 1).sum::<usize>() + 2);
            let mut word_starts = Vec::with_capacity(stems.len());
            haystack.push(' ');
            for (i, stem) in stems.iter().enumerate() {
                if new_sentence(i) {
                    haystack.push_str(SENTENCE_BREAK);
                    haystack.push(' ');
                }
                word_starts.push(haystack.len());
                haystack.push_str(stem);
                haystack.push(' ');
            }
            for m in automaton.find_overlapping_iter(&haystack) {
                // Patterns start with a space, so the first word starts right after it.
                let Ok(first) = word_starts.binary_search(&(m.start() + 1)) else {
                    continue;
                };
                for target in &self.prefix_targets[m.pattern().as_usize()] {
                    hits.push(Hit {
                        lexicon: target.lexicon,
                        term: target.term,
                        words: first..first + target.words,
                    });
                }
            }
        }
        if hits.len() == single_word_hits {
            // One hit per word and lexicon, in word order and then lexicon order (the
            // entries are kept so): nothing overlaps and nothing is out of order.
            return hits;
        }
        remove_overlaps(hits)
    }
}

/// The ids of a phrase's words after the first, and every (lexicon, term) that wrote it.
type PhraseTail = (Box<[u32]>, Vec<Target>);

/// The id of a word no phrase contains.
const UNKNOWN_ID: u32 = 0;

/// The words of a whole-word pattern (" a b "), borrowing from a static pattern.
// The match on the Cow keeps a shipped pattern's 'static slices borrowed, not copied.
#[allow(clippy::ptr_arg)]
fn split_words(pattern: &Cow<'static, str>) -> Vec<Cow<'static, str>> {
    match pattern {
        Cow::Borrowed(text) => text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(Cow::Borrowed)
            .collect(),
        Cow::Owned(text) => text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| Cow::Owned(w.to_string()))
            .collect(),
    }
}

impl From<TermFile> for Term {
    fn from(file: TermFile) -> Term {
        Term {
            phrases: file
                .phrases
                .into_iter()
                .map(|p| Cow::Owned(p.into_inner()))
                .collect(),
            help: file.help.map(Cow::Owned),
            tag: file.tag.map(Cow::Owned),
        }
    }
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
    use crate::analysis::normalize;
    use unicode_segmentation::UnicodeSegmentation;

    fn pack_with(lang: Lang, phrases: &[&str]) -> LanguagePack {
        let user = UserLexicon {
            lang,
            name: "test-lexicon".into(),
            path: PathBuf::from("test.toml"),
            terms: vec![Term {
                phrases: phrases.iter().map(|s| Cow::Owned(s.to_string())).collect(),
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        /// Whatever the words, `scan` returns hits in order with no overlap in a lexicon,
        /// whether it took the single-word shortcut or not.
        #[test]
        fn scan_returns_hits_as_remove_overlaps_leaves_them(
            picks in proptest::collection::vec((0usize..10_000, 0usize..3), 0..40)
        ) {
            static PACK: std::sync::LazyLock<LanguagePack> =
                std::sync::LazyLock::new(|| LanguagePack::build(Lang::Ru, &[]));
            let pack = &*PACK;
            let mut vocabulary: Vec<&str> = pack.known_stems.keys().map(|s| s.as_ref()).collect();
            proptest::prop_assert_eq!(vocabulary.len(), pack.known.len());
            vocabulary.sort_unstable();
            let stems: Vec<&str> = picks.iter().map(|(i, _)| vocabulary[i % vocabulary.len()]).collect();
            let mut sentence = 0;
            let sentence_of: Vec<usize> = picks
                .iter()
                .map(|(_, b)| {
                    sentence += usize::from(*b == 0);
                    sentence
                })
                .collect();
            let hits = pack.scan(&stems, &sentence_of);
            proptest::prop_assert_eq!(remove_overlaps(hits.clone()), hits);
        }
    }
}
