//! Lexicons: lists of terms per language, written as TOML under `rules/<lang>/`, compiled once
//! per language: one-word entries (the bulk of every lexicon) into a hash map of stems,
//! phrases into an index by their first two words (each stem of a phrase numbered), and phrases
//! that end in a prefix into buckets by the prefix (a few dozen in all: each distinct word is
//! tested against them once, and the [`PrefixMask`] it gets says which buckets to look in).
//! A message is scanned once for every lexicon; nothing at start-up is heavier than hashing
//! the shipped entries, which the build script has already parsed and stemmed.
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

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::PathBuf;

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

impl Lexicon {
    /// The phrases of the terms with a tag, as written in the lexicon.
    pub fn phrases_tagged<'l>(&'l self, tag: &'l str) -> impl Iterator<Item = &'l str> + 'l {
        self.terms
            .iter()
            .filter(move |t| t.tag.as_deref() == Some(tag))
            .flat_map(|t| t.phrases.iter().map(|p| p.as_ref()))
    }
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
    /// The prefixes that end phrases such as `эскалир*` (the part before the `*`),
    /// normalised, each once.
    prefixes: Vec<Box<str>>,
    /// Phrases that end in a prefix, and for each bit of a [`PrefixMask`] the phrases
    /// whose prefix has it.
    prefix_phrases: Vec<PrefixPhrase>,
    prefix_phrases_by_bit: Vec<Vec<usize>>,
}

/// Which of a pack's phrase prefixes a stem starts with: bit `i % 64` for prefix `i`, so a
/// set bit says "maybe" and a clear one "no". Worked out once per distinct word.
pub type PrefixMask = u64;

/// A phrase whose last word is a prefix: the ids of the whole words before it, which
/// prefix ends it, and who wrote it.
struct PrefixPhrase {
    before: Box<[u32]>,
    prefix: usize,
    /// Bytes of the phrase as stems and prefix spelled out: of two phrases that cover the
    /// same words, the shorter is reported first.
    spelled_len: usize,
    targets: Vec<Target>,
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
        let mut prefixes: Vec<Box<str>> = Vec::new();
        let mut prefix_phrases: Vec<PrefixPhrase> = Vec::new();
        for (pattern, targets) in patterns.into_iter().zip(targets) {
            let mut words = split_words(&pattern);
            let mut id_of = |word: Cow<'static, str>| {
                let next = vocabulary.len() as u32 + 1;
                *vocabulary.entry(word).or_insert(next)
            };
            if !pattern.ends_with(' ') {
                let Some(prefix) = words.pop() else { continue };
                let prefix = match prefixes.iter().position(|p| **p == *prefix) {
                    Some(index) => index,
                    None => {
                        prefixes.push(prefix.as_ref().into());
                        prefixes.len() - 1
                    }
                };
                prefix_phrases.push(PrefixPhrase {
                    before: words.into_iter().map(&mut id_of).collect(),
                    prefix,
                    spelled_len: pattern.len(),
                    targets,
                });
                continue;
            }
            let ids: Vec<u32> = words.into_iter().map(&mut id_of).collect();
            // One-word patterns went to `single_words`: every phrase here has two words.
            let (Some(&first), Some(&second)) = (ids.first(), ids.get(1)) else {
                continue;
            };
            phrases
                .entry((first, second))
                .or_default()
                .push((ids[2..].into(), targets));
        }
        let mut prefix_phrases_by_bit = vec![Vec::new(); PrefixMask::BITS as usize];
        for (index, phrase) in prefix_phrases.iter().enumerate() {
            prefix_phrases_by_bit[phrase.prefix % PrefixMask::BITS as usize].push(index);
        }
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
        LanguagePack {
            lang,
            stemmer,
            lexicons,
            by_name,
            phrases,
            known_stems,
            known,
            identity: PACKS_BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            prefixes,
            prefix_phrases,
            prefix_phrases_by_bit,
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

    /// The [`PrefixMask`] of a stem.
    pub fn prefix_mask(&self, stem: &str) -> PrefixMask {
        self.prefixes
            .iter()
            .enumerate()
            .filter(|(_, prefix)| stem.starts_with(&***prefix))
            .fold(0, |mask, (index, _)| {
                mask | 1 << (index % PrefixMask::BITS as usize)
            })
    }

    /// Finds every lexicon term in a sequence of word stems. `sentence_of` gives each word's
    /// sentence so that no phrase matches across two sentences.
    pub fn scan(&self, stems: &[&str], sentence_of: &[usize]) -> Vec<Hit> {
        struct Stems<'s> {
            pack: &'s LanguagePack,
            stems: &'s [&'s str],
            sentence_of: &'s [usize],
        }
        impl ScannedWords for Stems<'_> {
            fn count(&self) -> usize {
                self.stems.len()
            }
            fn stem(&self, i: usize) -> &str {
                self.stems[i]
            }
            fn known(&self, i: usize) -> KnownId {
                self.pack.known_id(self.stems[i])
            }
            fn prefixes(&self, i: usize) -> PrefixMask {
                self.pack.prefix_mask(self.stems[i])
            }
            fn sentence(&self, i: usize) -> usize {
                self.sentence_of.get(i).copied().unwrap_or(0)
            }
        }
        self.scan_words(&Stems {
            pack: self,
            stems,
            sentence_of,
        })
    }

    /// [`LanguagePack::scan`] over words whose [`KnownId`]s and [`PrefixMask`]s (for this
    /// pack) the caller already has.
    pub fn scan_words(&self, words: &impl ScannedWords) -> Vec<Hit> {
        let len = words.count();
        // Function words alone are about every other word, and a word may be in several
        // lexicons.
        let mut hits = Vec::with_capacity(len + len / 2);
        let mut ids: Vec<u32> = Vec::with_capacity(len);
        for i in 0..len {
            let Some(known) = self.known.get(words.known(i) as usize) else {
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
        let new_sentence =
            |i: usize| i > 0 && (i >= len || words.sentence(i) != words.sentence(i - 1));
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
        // Phrases that end in a prefix, at the words whose mask says they may.
        let mut at_word: Vec<(usize, &PrefixPhrase)> = Vec::new();
        for (i, mask) in (0..len)
            .map(|i| (i, words.prefixes(i)))
            .filter(|(_, m)| *m != 0)
        {
            at_word.clear();
            let mut bits = mask;
            while bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for phrase in self.prefix_phrases_by_bit[bit]
                    .iter()
                    .map(|&p| &self.prefix_phrases[p])
                {
                    let Some(first) = i.checked_sub(phrase.before.len()) else {
                        continue;
                    };
                    let fits = words.stem(i).starts_with(&*self.prefixes[phrase.prefix])
                        && ids[first..i] == phrase.before[..]
                        && (first + 1..=i).all(|k| !new_sentence(k));
                    if fits {
                        at_word.push((first, phrase));
                    }
                }
            }
            // As a scan of the text would meet them: the shorter phrase first.
            at_word.sort_by_key(|(_, phrase)| phrase.spelled_len);
            for (first, phrase) in &at_word {
                for target in &phrase.targets {
                    hits.push(Hit {
                        lexicon: target.lexicon,
                        term: target.term,
                        words: *first..first + target.words,
                    });
                }
            }
        }
        if hits.len() == single_word_hits {
            // One hit per word and lexicon, in word order and then lexicon order (the
            // entries are kept so): nothing overlaps and nothing is out of order.
            return hits;
        }
        merge_without_overlaps(hits, single_word_hits, self.lexicons.len())
    }
}

/// The words a scan reads, by index: their stems, what the pack knows of each (its
/// [`LanguagePack::known_id`] and [`LanguagePack::prefix_mask`]), and their sentences.
pub trait ScannedWords {
    /// How many words there are.
    fn count(&self) -> usize;
    fn stem(&self, i: usize) -> &str;
    fn known(&self, i: usize) -> KnownId;
    fn prefixes(&self, i: usize) -> PrefixMask;
    fn sentence(&self, i: usize) -> usize;
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

/// [`remove_overlaps`] for hits whose first `single_word_hits` are already in order (one
/// per word and lexicon, by word then lexicon): only the phrase hits after them are sorted,
/// then merged in, each lexicon keeping the longest of overlapping hits.
fn merge_without_overlaps(
    mut hits: Vec<Hit>,
    single_word_hits: usize,
    lexicons: usize,
) -> Vec<Hit> {
    let key = |h: &Hit| (h.words.start, h.lexicon, std::cmp::Reverse(h.words.end));
    // Stable: of equal hits the first found stays first, as in `remove_overlaps`.
    hits[single_word_hits..].sort_by_key(key);
    let (singles, phrases) = hits.split_at(single_word_hits);
    // How far the last hit kept of each lexicon reaches (on the stack for the usual count
    // of lexicons).
    let mut reach_on_stack = [0usize; 64];
    let mut reach_on_heap = Vec::new();
    let reach: &mut [usize] = if lexicons <= reach_on_stack.len() {
        &mut reach_on_stack[..lexicons]
    } else {
        reach_on_heap.resize(lexicons, 0);
        &mut reach_on_heap
    };
    let mut kept = Vec::with_capacity(hits.len());
    let mut keep = |hit: &Hit| {
        // Hits come by first word: a hit that starts before the reach of the last one kept
        // of its lexicon overlaps it.
        let reach = &mut reach[hit.lexicon];
        if hit.words.start >= *reach {
            *reach = hit.words.end;
            kept.push(hit.clone());
        }
    };
    let mut phrases = phrases.iter().peekable();
    for single in singles {
        // On equal keys the single word goes first: it was found first.
        while let Some(phrase) = phrases.next_if(|p| key(p) < key(single)) {
            keep(phrase);
        }
        keep(single);
    }
    phrases.for_each(keep);
    kept
}

/// Within one lexicon, keeps the longest of overlapping hits (a phrase beats its own first
/// word); hits of different lexicons may overlap, each rule reads its own. The plain way,
/// which [`merge_without_overlaps`] must agree with.
#[cfg(test)]
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

    /// Each word's sentence, a new one wherever a pick's second number is 0.
    fn sentences_of(picks: &[(usize, usize)]) -> Vec<usize> {
        let mut sentence = 0;
        picks
            .iter()
            .map(|(_, b)| {
                sentence += usize::from(*b == 0);
                sentence
            })
            .collect()
    }

    /// The hits of one user lexicon the plain way: every phrase looked for in the stems
    /// spelled out (" stem stem ... "), sentences kept apart, then `remove_overlaps`.
    fn hits_found_plainly(
        phrases: &[&str],
        pack: &LanguagePack,
        stems: &[&str],
        sentence_of: &[usize],
    ) -> Vec<(usize, Range<usize>)> {
        let mut haystack = String::from(" ");
        let mut starts = Vec::new();
        for (i, stem) in stems.iter().enumerate() {
            if i > 0 && sentence_of[i] != sentence_of[i - 1] {
                haystack.push_str("\u{1} ");
            }
            starts.push(haystack.len());
            haystack.push_str(stem);
            haystack.push(' ');
        }
        let lexicon = pack.lexicon_id("test-lexicon").unwrap();
        let mut hits = Vec::new();
        for (term, phrase) in phrases.iter().enumerate() {
            let (pattern, words) = phrase_pattern(phrase, &pack.stemmer).unwrap();
            let mut from = 0;
            while let Some(at) = haystack[from..].find(&pattern) {
                let at = from + at;
                if let Ok(first) = starts.binary_search(&(at + 1)) {
                    let hit = Hit {
                        lexicon,
                        term,
                        words: first..first + words,
                    };
                    hits.push((at + pattern.len(), hit));
                }
                from = at + 1;
            }
        }
        // In the order a scan of the text meets them: by where they end.
        hits.sort_by_key(|(end, _)| *end);
        remove_overlaps(hits.into_iter().map(|(_, hit)| hit).collect())
            .into_iter()
            .map(|h| (h.term, h.words))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3_000))]
        /// Phrases of whole words and phrases that end in a prefix, overlapping each other and
        /// themselves: `scan` finds what a plain search of the spelled-out stems finds.
        #[test]
        fn scan_finds_what_a_plain_search_finds(
            picks in proptest::collection::vec((0usize..9, 0usize..4), 0..30)
        ) {
            const PHRASES: &[&str] = &[
                "скрин*", "скри*", "вот скрин*", "вот вот*", "вот", "номер заказа", "заказ*",
                "номер", "вот номер заказа",
            ];
            // One term a phrase, so that which of two phrases on the same words is kept shows.
            static PACK: std::sync::LazyLock<LanguagePack> = std::sync::LazyLock::new(|| {
                let user = UserLexicon {
                    lang: Lang::Ru,
                    name: "test-lexicon".into(),
                    path: PathBuf::from("test.toml"),
                    terms: PHRASES
                        .iter()
                        .map(|phrase| Term {
                            phrases: vec![Cow::Borrowed(*phrase)],
                            help: None,
                            tag: None,
                        })
                        .collect(),
                };
                LanguagePack::build(Lang::Ru, &[user])
            });
            let pack = &*PACK;
            const WORDS: &[&str] = &[
                "вот", "скрин", "скриншот", "скрипт", "номер", "заказа", "заказчик", "и", "вота",
            ];
            let stems: Vec<String> = picks
                .iter()
                .map(|(w, _)| pack.stemmer.stem(&normalize(WORDS[*w])))
                .collect();
            let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
            let sentence_of = sentences_of(&picks);
            let lexicon = pack.lexicon_id("test-lexicon").unwrap();
            let scanned: Vec<(usize, Range<usize>)> = pack
                .scan(&stems, &sentence_of)
                .into_iter()
                .filter(|h| h.lexicon == lexicon)
                .map(|h| (h.term, h.words))
                .collect();
            proptest::prop_assert_eq!(
                scanned,
                hits_found_plainly(PHRASES, pack, &stems, &sentence_of)
            );
        }

        /// Single-word hits in order followed by phrase hits in any order: the merge keeps
        /// what sorting everything and dropping overlaps keeps.
        #[test]
        fn merging_keeps_what_removing_overlaps_keeps(
            singles in proptest::collection::vec((0usize..3, 0usize..4), 0..20),
            phrases in proptest::collection::vec((0usize..20, 1usize..4, 0usize..4, 0usize..3), 0..12)
        ) {
            let mut hits: Vec<Hit> = Vec::new();
            let mut word = 0;
            for (step, lexicons) in singles {
                word += step + 1;
                for lexicon in 0..lexicons {
                    hits.push(Hit { lexicon, term: 0, words: word..word + 1 });
                }
            }
            let single_word_hits = hits.len();
            for (start, len, lexicon, term) in phrases {
                hits.push(Hit { lexicon, term, words: start..start + len });
            }
            proptest::prop_assert_eq!(
                merge_without_overlaps(hits.clone(), single_word_hits, 4),
                remove_overlaps(hits)
            );
        }
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
            let sentence_of = sentences_of(&picks);
            let hits = pack.scan(&stems, &sentence_of);
            proptest::prop_assert_eq!(remove_overlaps(hits.clone()), hits);
        }
    }
}
