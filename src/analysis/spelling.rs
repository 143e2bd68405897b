//! What is known of a word from its spelling alone: its normal form, its stem, its shape
//! (letters, digits, capitals) and what the lexicons say of its stem. All of it is worked out
//! once per distinct word on each thread and copied into every occurrence: word frequencies
//! are Zipfian, so over a bulk audit nearly every word is a repeat, and the rules that ask
//! "is it all letters?" or "does it start with a capital?" of every word of every draft get
//! the answer without reading the word again.

use std::cell::RefCell;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::letters::{is_letter, is_lower, is_upper};
use super::stem;
use crate::language::Lang;
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

/// A word's spelling worked out: see the module documentation.
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

/// Distinct words a thread keeps per language before it starts over (a few MB at most).
const CACHE_WORDS: usize = 50_000;

/// The spellings a thread has worked out for one language, for one pack: a [`KnownId`] means
/// nothing to another pack (another linter's, with other user lexicons).
#[derive(Default)]
struct Known {
    pack: Option<u64>,
    words: FxHashMap<CompactString, Spelling>,
}

thread_local! {
    static SPELLINGS: RefCell<[Known; 3]> = RefCell::default();
    /// Scratch space for normal forms.
    static NORM_BUFFER: RefCell<String> = RefCell::default();
}

/// The spelling of a word as written, in a language, with the lexicons of `pack`.
pub fn spelling(lang: Lang, pack: &LanguagePack, written: &str) -> Spelling {
    SPELLINGS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let cache = &mut cache[lang.index()];
        if cache.pack != Some(pack.identity) {
            cache.words.clear();
            cache.pack = Some(pack.identity);
        }
        if let Some(known) = cache.words.get(written) {
            return known.clone();
        }
        let norm = NORM_BUFFER.with(|buffer| {
            let mut buffer = buffer.borrow_mut();
            stem::normalize_into(written, &mut buffer);
            CompactString::from(buffer.as_str())
        });
        let stem = CompactString::from(pack.stemmer.stem(&norm));
        let spelled = Spelling {
            shape: Shape::of(&norm, written),
            known: pack.known_id(&stem),
            prefixes: pack.prefix_mask(&stem),
            norm,
            stem,
        };
        if cache.words.len() >= CACHE_WORDS {
            cache.words.clear();
        }
        cache
            .words
            .insert(CompactString::from(written), spelled.clone());
        spelled
    })
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
