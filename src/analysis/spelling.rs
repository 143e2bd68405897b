//! What is known of a word from its spelling alone: what it says about its language (see
//! [`Evidence`]), its normal form, its stem, its shape (letters, digits, capitals) and what
//! the lexicons say of its stem. All of it is worked out once per distinct word on each
//! thread and copied into every occurrence: word frequencies are Zipfian, so over a bulk
//! audit nearly every word is a repeat, a message's language is told from its words without
//! reading its letters again, and the rules that ask "is it all letters?" or "does it start
//! with a capital?" of every word of every draft get the answer without reading the word.
//!
//! A message's words are looked up once ([`ids`]), before its language is known; their
//! spellings in that language are read by id afterwards ([`spellings`]).

use std::cell::RefCell;
use std::ops::Range;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::letters::{is_letter, is_lower, is_upper};
use super::stem;
use crate::language::{Evidence, Lang};
use crate::lexicon::{KnownId, LanguagePack, PrefixMask};

/// The shape of a word: how many characters its normal form has and what kinds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    flags: u8,
    norm_chars: u16,
}

const ALPHABETIC: u8 = 1;
const HAS_ALPHABETIC: u8 = 1 << 1;
const STARTS_ALPHABETIC: u8 = 1 << 2;
const HAS_ASCII_DIGIT: u8 = 1 << 3;
const HAS_ASCII_ALPHABETIC: u8 = 1 << 4;
const WRITTEN_HAS_LOWERCASE: u8 = 1 << 5;
const WRITTEN_STARTS_UPPERCASE: u8 = 1 << 6;

impl Shape {
    /// The shape of a word by its normal form and the word as written.
    pub fn of(norm: &str, written: &str) -> Shape {
        let mut flags = 0;
        let mut norm_chars = 0usize;
        let mut all_alphabetic = true;
        for (i, c) in norm.chars().enumerate() {
            norm_chars += 1;
            let alphabetic = is_letter(c);
            all_alphabetic &= alphabetic;
            if alphabetic {
                flags |= HAS_ALPHABETIC;
                if i == 0 {
                    flags |= STARTS_ALPHABETIC;
                }
            }
            if c.is_ascii_digit() {
                flags |= HAS_ASCII_DIGIT;
            }
            if c.is_ascii_alphabetic() {
                flags |= HAS_ASCII_ALPHABETIC;
            }
        }
        if all_alphabetic {
            flags |= ALPHABETIC;
        }
        let mut shape = Shape {
            flags,
            norm_chars: u16::try_from(norm_chars).unwrap_or(u16::MAX),
        };
        shape.set_written(written);
        shape
    }

    /// Reads the capitals of the word as written (which may differ from the word the
    /// shape was made for where Markdown or an HTML entity stood).
    pub fn set_written(&mut self, written: &str) {
        self.flags &= !(WRITTEN_HAS_LOWERCASE | WRITTEN_STARTS_UPPERCASE);
        if written.chars().next().is_some_and(is_upper) {
            self.flags |= WRITTEN_STARTS_UPPERCASE;
        }
        if written.chars().any(is_lower) {
            self.flags |= WRITTEN_HAS_LOWERCASE;
        }
    }

    /// Characters of the normal form (at most 65,535).
    pub fn chars(self) -> usize {
        usize::from(self.norm_chars)
    }

    /// Every character of the normal form is a letter.
    pub fn is_alphabetic(self) -> bool {
        self.flags & ALPHABETIC != 0
    }

    /// Some character of the normal form is a letter.
    pub fn has_alphabetic(self) -> bool {
        self.flags & HAS_ALPHABETIC != 0
    }

    /// The normal form starts with a letter.
    pub fn starts_alphabetic(self) -> bool {
        self.flags & STARTS_ALPHABETIC != 0
    }

    pub fn has_ascii_digit(self) -> bool {
        self.flags & HAS_ASCII_DIGIT != 0
    }

    pub fn has_ascii_alphabetic(self) -> bool {
        self.flags & HAS_ASCII_ALPHABETIC != 0
    }

    /// The word as written has a lower-case letter.
    pub fn written_has_lowercase(self) -> bool {
        self.flags & WRITTEN_HAS_LOWERCASE != 0
    }

    /// The word as written starts with a capital.
    pub fn written_starts_uppercase(self) -> bool {
        self.flags & WRITTEN_STARTS_UPPERCASE != 0
    }
}

/// A word's spelling worked out in one language: see the module documentation.
#[derive(Debug, Clone)]
pub struct Spelling {
    /// Lower case, ё→е (see [`stem::normalize`]).
    pub norm: CompactString,
    pub stem: CompactString,
    pub shape: Shape,
    /// The stem's id among those the pack's lexicons know.
    pub known: KnownId,
    /// Which phrase prefixes (`эскалир*`) of the pack the stem may start with.
    pub prefixes: PrefixMask,
}

/// A word's place in this thread's table (see [`ids`]).
pub type WordId = u32;

/// Distinct words a thread keeps before it starts over (a few MB).
const TABLE_WORDS: usize = 65_536;

/// One distinct word: what it says about its language, and its spelling in the language it
/// was last analysed in (a word is nearly always read in one language only).
struct Entry {
    evidence: Evidence,
    spelled: Option<(Lang, Spelling)>,
}

/// The words a thread has seen, by the word as written.
#[derive(Default)]
struct Table {
    ids: FxHashMap<CompactString, WordId>,
    entries: Vec<Entry>,
    /// The pack each language's spellings were made with: a [`KnownId`] means nothing to
    /// another pack (another linter's, with other user lexicons).
    packs: [Option<u64>; 3],
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::default();
}

/// Starts the analysis of a thread: a table grown past its size starts over here, never in
/// the middle of a thread, whose [`WordId`]s must stay valid until it is analysed.
pub fn begin_thread() {
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        if table.entries.len() > TABLE_WORDS {
            *table = Table::default();
        }
    });
}

/// The ids of the words of a text (byte ranges), each word added on first sight.
pub fn ids(text: &str, words: &[Range<usize>]) -> Vec<WordId> {
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        let Table { ids, entries, .. } = &mut *table;
        words
            .iter()
            .map(|range| {
                let written = &text[range.clone()];
                if let Some(&id) = ids.get(written) {
                    return id;
                }
                entries.push(Entry {
                    evidence: Evidence::of_word(written),
                    spelled: None,
                });
                let id = (entries.len() - 1) as WordId;
                ids.insert(CompactString::from(written), id);
                id
            })
            .collect()
    })
}

/// The summed evidence of the words whose `keep` is true.
pub fn evidence(words: &[WordId], keep: impl Fn(usize) -> bool) -> Evidence {
    TABLE.with(|table| {
        let table = table.borrow();
        words
            .iter()
            .enumerate()
            .filter(|(k, _)| keep(*k))
            .fold(Evidence::default(), |sum, (_, &id)| {
                sum + table.entries[id as usize].evidence
            })
    })
}

/// The spelling of each word (by id, with its text) in a language, with the lexicons of
/// `pack`, handed to `each` with the word's position: read in place, not copied out.
pub fn with_spellings(
    lang: Lang,
    pack: &LanguagePack,
    text: &str,
    words: &[Range<usize>],
    ids: &[WordId],
    mut each: impl FnMut(usize, &Spelling),
) {
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        if table.packs[lang.index()] != Some(pack.identity) {
            for entry in &mut table.entries {
                if entry.spelled.as_ref().is_some_and(|(l, _)| *l == lang) {
                    entry.spelled = None;
                }
            }
            table.packs[lang.index()] = Some(pack.identity);
        }
        for (k, (range, &id)) in words.iter().zip(ids).enumerate() {
            let entry = &mut table.entries[id as usize];
            if entry
                .spelled
                .as_ref()
                .is_none_or(|(spelled_in, _)| *spelled_in != lang)
            {
                entry.spelled = Some((lang, spell(pack, &text[range.clone()])));
            }
            if let Some((_, spelled)) = &entry.spelled {
                each(k, spelled);
            }
        }
    })
}

/// A word's spelling worked out.
fn spell(pack: &LanguagePack, written: &str) -> Spelling {
    let norm = CompactString::from(stem::normalize(written));
    let stem = CompactString::from(pack.stemmer.stem(&norm));
    Spelling {
        shape: Shape::of(&norm, written),
        known: pack.known_id(&stem),
        prefixes: pack.prefix_mask(&stem),
        norm,
        stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]
        /// Each flag answers what the char test it stands for answers.
        #[test]
        fn shape_reads_as_the_char_tests_it_stands_for(
            written in "([a-zA-Z0-9'_]|[а-яА-ЯёЁѝЍ]|\\PC){0,12}"
        ) {
            let norm = stem::normalize(&written);
            let shape = Shape::of(&norm, &written);
            proptest::prop_assert_eq!(shape.chars(), norm.chars().count());
            proptest::prop_assert_eq!(shape.is_alphabetic(), norm.chars().all(char::is_alphabetic));
            proptest::prop_assert_eq!(shape.has_alphabetic(), norm.chars().any(char::is_alphabetic));
            proptest::prop_assert_eq!(
                shape.starts_alphabetic(),
                norm.chars().next().is_some_and(char::is_alphabetic)
            );
            proptest::prop_assert_eq!(shape.has_ascii_digit(), norm.chars().any(|c| c.is_ascii_digit()));
            proptest::prop_assert_eq!(
                shape.has_ascii_alphabetic(),
                norm.chars().any(|c| c.is_ascii_alphabetic())
            );
            proptest::prop_assert_eq!(
                shape.written_has_lowercase(),
                written.chars().any(char::is_lowercase)
            );
            proptest::prop_assert_eq!(
                shape.written_starts_uppercase(),
                written.chars().next().is_some_and(char::is_uppercase)
            );
        }
    }
}
