//! Languages replylint supports, and detection that works on short support messages.
//!
//! whatlang alone is unreliable on one-line messages (it calls "Где мой заказ?" Bulgarian and
//! "Can I pay with a virtual wallet?" Welsh), so detection first decides the script, then
//! separates Russian from Bulgarian with cues whatlang ignores: letters that exist in only one
//! of them and frequent function words, read from `rules/<lang>/language.toml`. whatlang,
//! restricted to the supported languages, breaks ties.

use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::analysis::Abbreviations;
use crate::data;

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Ru,
    Bg,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Bg];

    /// The ISO 639-1 code, which is also the folder name under `rules/`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Bg => "bg",
        }
    }

    /// Reads `en`, `ru`, `bg` (and the three-letter and English names), any case.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "eng" | "english" | "en-us" | "en-gb" => Some(Lang::En),
            "ru" | "rus" | "russian" | "ru-ru" => Some(Lang::Ru),
            "bg" | "bul" | "bulgarian" | "bg-bg" => Some(Lang::Bg),
            _ => None,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    fn is_cyrillic(self) -> bool {
        matches!(self, Lang::Ru | Lang::Bg)
    }

    fn whatlang(self) -> whatlang::Lang {
        match self {
            Lang::En => whatlang::Lang::Eng,
            Lang::Ru => whatlang::Lang::Rus,
            Lang::Bg => whatlang::Lang::Bul,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// The outcome of detection on one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub lang: Lang,
    /// False when the text is too short or the cues too even to be sure.
    pub reliable: bool,
}

/// Cues of one language, as written in `rules/<lang>/language.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct CueFile {
    #[serde(default)]
    exclusive_letters: String,
    #[serde(default)]
    marker_letters: String,
    #[serde(default)]
    cue_words: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
}

struct Cues {
    /// The score of each lower-case letter of the Cyrillic block (U+0400..U+04FF): 3 for a
    /// letter only this language has, 1 for one it uses much more often, else 0.
    letter_scores: [u8; 256],
    cue_words: Vec<String>,
}

/// The cues and abbreviations of every language, read from its `language.toml` once.
struct LanguageData {
    cues: Cues,
    abbreviations: Abbreviations,
}

fn language_data(lang: Lang) -> &'static LanguageData {
    static DATA: OnceLock<Vec<LanguageData>> = OnceLock::new();
    let all = DATA.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|lang| {
                let file: CueFile = data::embedded_toml(&format!("{}/language.toml", lang.code()));
                LanguageData {
                    cues: Cues {
                        letter_scores: letter_scores(&file.exclusive_letters, &file.marker_letters),
                        cue_words: file
                            .cue_words
                            .iter()
                            .map(|w| crate::analysis::normalize(w))
                            .collect(),
                    },
                    abbreviations: Abbreviations::new(
                        file.abbreviations
                            .iter()
                            .map(|a| a.trim_end_matches('.').to_lowercase())
                            .collect(),
                    ),
                }
            })
            .collect()
    });
    &all[lang.index()]
}

fn cues(lang: Lang) -> &'static Cues {
    &language_data(lang).cues
}

/// Every cue word (as UTF-8 bytes) with whether it is one of Russian and of Bulgarian: one
/// lookup a word.
fn cue_words() -> &'static CueWords {
    static WORDS: OnceLock<CueWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = CueWords::default();
        for (lang, is_russian) in [(Lang::Ru, true), (Lang::Bg, false)] {
            for word in &cues(lang).cue_words {
                let entry = words.by_bytes.entry(word.as_bytes().into()).or_default();
                if is_russian {
                    entry.0 = true;
                } else {
                    entry.1 = true;
                }
                if let Some(first) = word.chars().next() {
                    let letters = word.chars().count().min(CUE_WORD_BYTES / 2);
                    words.first_letters[letters] |= 1 << first_letter_bit(u32::from(first));
                }
            }
        }
        words
    })
}

/// Cue words by their UTF-8 bytes: (a Russian cue, a Bulgarian cue); and for each length in
/// letters, the first letters cue words of that length start with, so that most words are
/// told apart without hashing them.
#[derive(Default)]
struct CueWords {
    by_bytes: FxHashMap<Box<[u8]>, (bool, bool)>,
    first_letters: [u64; CUE_WORD_BYTES / 2 + 1],
}

/// A bit for a lower-case Cyrillic letter (U+0400..U+04FF); letters outside а..я share bits.
fn first_letter_bit(code: u32) -> u32 {
    code.wrapping_sub(0x400) % 64
}

/// Room for the longest cue word (24 bytes today; a test keeps every cue word within it).
const CUE_WORD_BYTES: usize = 32;

/// The word being read by [`Evidence::of`]: where it starts, and what it is made of.
#[derive(Default)]
struct WordRun {
    start: usize,
    cyrillic: bool,
    /// Has a Latin letter or a digit: no cue word has (a test keeps it so).
    mixed: bool,
}

/// What [`Evidence::of`] needs of one character of U+0400..U+04FF, worked out once.
#[derive(Clone, Copy, Default)]
struct CyrillicLetter {
    /// The lower-case letter as the cue lists spell it (ё→е, ѝ→и), in UTF-8.
    cue_bytes: [u8; 2],
    russian: u8,
    bulgarian: u8,
}

/// Every character of U+0400..U+04FF by its offset from U+0400.
fn cyrillic_letters() -> &'static [CyrillicLetter; 256] {
    static TABLE: OnceLock<[CyrillicLetter; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let (russian, bulgarian) = (cues(Lang::Ru), cues(Lang::Bg));
        let mut table = [CyrillicLetter::default(); 256];
        for (offset, slot) in table.iter_mut().enumerate() {
            let code = 0x400 + offset as u32;
            let lower = cyrillic_lower_code(code);
            let spelled = match lower {
                0x451 => 0x435, // ё → е
                0x45D => 0x438, // ѝ → и
                code => code,
            };
            *slot = CyrillicLetter {
                cue_bytes: [0xC0 | (spelled >> 6) as u8, 0x80 | (spelled & 0x3F) as u8],
                russian: letter_score(russian, lower) as u8,
                bulgarian: letter_score(bulgarian, lower) as u8,
            };
        }
        table
    })
}

/// The offset from U+0400 of the character whose UTF-8 bytes are `lead` (D0..D3) and
/// `second`.
fn cyrillic_offset(lead: u8, second: u8) -> usize {
    (usize::from(lead & 0x03) << 6) | usize::from(second & 0x3F)
}

/// [`crate::analysis::cyrillic_lower`] on a code point of U+0400..U+04FF.
fn cyrillic_lower_code(code: u32) -> u32 {
    match code {
        0x410..=0x42F => code + 0x20,
        0x400..=0x40F => code + 0x50,
        0x430..=0x45F => code,
        _ => char::from_u32(code).map_or(code, |c| u32::from(crate::analysis::cyrillic_lower(c))),
    }
}

/// Abbreviations after which a full stop does not end a sentence ("т.е.", "ул.", "e.g.").
pub fn abbreviations(lang: Lang) -> &'static Abbreviations {
    &language_data(lang).abbreviations
}

/// What a text says about its language: letters of each script and the Russian and
/// Bulgarian cue scores. Evidence adds up, so a thread's language is decided from its
/// messages' evidence without reading them twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    latin: usize,
    cyrillic: usize,
    russian: usize,
    bulgarian: usize,
}

impl Evidence {
    /// Reads a text: letters of each script, and for Cyrillic words the letters and function
    /// words that are cues of Russian or Bulgarian. Web and e-mail addresses are left out:
    /// their Latin letters say nothing of the language around them ("вижте тук
    /// https://shop.bg/dostavka" is Bulgarian).
    pub fn of(text: &str) -> Evidence {
        Evidence::read(text, true)
    }

    /// The evidence of one word (a text without whitespace), addresses or not: analysis
    /// sums the words of a message, leaving out those of its [`address_tokens`], which is
    /// [`Evidence::of`] the message.
    pub fn of_word(word: &str) -> Evidence {
        Evidence::read(word, false)
    }

    fn read(text: &str, drop_addresses: bool) -> Evidence {
        let letters = cyrillic_letters();
        let bytes = text.as_bytes();
        let mut total = Evidence::default();
        // Whitespace ends every word, so evidence is gathered token by token and a token
        // that turns out to be an address is dropped whole.
        let mut token = Evidence::default();
        let mut token_start = 0;
        // Only a token with ':', '@' or "www." can be an address (see `is_address`).
        let mut may_be_address = false;
        let mut word = WordRun::default();
        let mut at = 0;
        // Read byte by byte: this runs on every letter of every message, and the letters
        // that matter are ASCII or two-byte Cyrillic (U+0400..U+04FF, lead bytes D0..D3).
        while at < bytes.len() {
            let byte = bytes[at];
            if byte.is_ascii_alphanumeric() {
                if !(word.cyrillic || word.mixed) {
                    word.start = at;
                }
                token.latin += usize::from(byte.is_ascii_alphabetic());
                word.mixed = true;
                at += 1;
                continue;
            }
            if (0xD0..=0xD3).contains(&byte) {
                if !(word.cyrillic || word.mixed) {
                    word.start = at;
                }
                let letter = letters[cyrillic_offset(byte, bytes[at + 1])];
                token.cyrillic += 1;
                token.russian += usize::from(letter.russian);
                token.bulgarian += usize::from(letter.bulgarian);
                word.cyrillic = true;
                at += 2;
                continue;
            }
            if word.cyrillic || word.mixed {
                token.count_cue_word(&bytes[word.start..at], &word);
                word = WordRun::default();
            }
            // ASCII is read as a byte; anything else is decoded.
            let (whitespace, len) = if byte < 0x80 {
                (matches!(byte, b'\t'..=b'\r' | b' '), 1)
            } else {
                let c = text[at..].chars().next().unwrap_or(' ');
                (c.is_whitespace(), c.len_utf8())
            };
            if whitespace {
                if !(drop_addresses && may_be_address && is_address(&text[token_start..at])) {
                    total = total + token;
                }
                token = Evidence::default();
                token_start = at + len;
                may_be_address = false;
            } else if byte == b':' || byte == b'@' || byte == b'.' && text[..at].ends_with("www") {
                may_be_address = true;
            }
            at += len;
        }
        if word.cyrillic || word.mixed {
            token.count_cue_word(&bytes[word.start..], &word);
        }
        if !(drop_addresses && may_be_address && is_address(&text[token_start..])) {
            total = total + token;
        }
        total
    }

    /// Scores a word just read (`written`, all of it Cyrillic letters when it can be a cue
    /// word), if it is a cue word: lower-cased with ё→е and ѝ→и, as the cue lists spell them.
    fn count_cue_word(&mut self, written: &[u8], word: &WordRun) {
        if !word.cyrillic || word.mixed || written.len() > CUE_WORD_BYTES {
            return;
        }
        let letters = cyrillic_letters();
        let cues = cue_words();
        let first = letters[cyrillic_offset(written[0], written[1])].cue_bytes;
        let first_code = (u32::from(first[0] & 0x1F) << 6) | u32::from(first[1] & 0x3F);
        if cues.first_letters[written.len() / 2] & (1 << first_letter_bit(first_code)) == 0 {
            return;
        }
        let mut lower = [0u8; CUE_WORD_BYTES];
        for (pair, slot) in written.chunks_exact(2).zip(lower.chunks_exact_mut(2)) {
            slot.copy_from_slice(&letters[cyrillic_offset(pair[0], pair[1])].cue_bytes);
        }
        if let Some(&(russian, bulgarian)) = cues.by_bytes.get(&lower[..written.len()]) {
            self.russian += 2 * usize::from(russian);
            self.bulgarian += 2 * usize::from(bulgarian);
        }
    }

    /// The language the evidence points to. `text` is asked for only when the Russian and
    /// Bulgarian cues tie, for whatlang to break the tie.
    pub fn decide(&self, text: impl FnOnce() -> String) -> Option<Detection> {
        self.decide_with(|| whatlang_among(&text(), &[Lang::Ru, Lang::Bg]).unwrap_or(Lang::Ru))
    }

    /// Like [`Evidence::decide`], but a tie between Russian and Bulgarian is reported as an
    /// unreliable Russian without asking whatlang: for callers that use a detection only
    /// when it is reliable, which a tie never is.
    pub fn decide_quickly(&self) -> Option<Detection> {
        self.decide_with(|| Lang::Ru)
    }

    fn decide_with(&self, tie_break: impl FnOnce() -> Lang) -> Option<Detection> {
        let Evidence {
            latin,
            cyrillic,
            russian,
            bulgarian,
        } = *self;
        if latin + cyrillic == 0 {
            return None;
        }
        if latin > cyrillic * 2 {
            return Some(Detection {
                lang: Lang::En,
                reliable: latin >= 8,
            });
        }
        let lang = if russian > bulgarian {
            Lang::Ru
        } else if bulgarian > russian {
            Lang::Bg
        } else {
            tie_break()
        };
        Some(Detection {
            lang,
            reliable: russian.abs_diff(bulgarian) >= 2 && cyrillic >= 8,
        })
    }
}

impl std::ops::Add for Evidence {
    type Output = Evidence;

    fn add(self, other: Evidence) -> Evidence {
        Evidence {
            latin: self.latin + other.latin,
            cyrillic: self.cyrillic + other.cyrillic,
            russian: self.russian + other.russian,
            bulgarian: self.bulgarian + other.bulgarian,
        }
    }
}

/// Byte ranges of the whitespace-separated tokens of `text` that are web or e-mail addresses
/// (see [`Evidence::of`]), in order. Most texts have none, and are looked through for ':', '@'
/// and "www." only.
pub fn address_tokens(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let previous_char = |at: usize| text[..at].chars().next_back();
    // The marks that can make a token an address (see `is_address`): "://", an '@' with a
    // name before it, "www." where the token's letters start. Most ':' and '@' of chat
    // text (a time, a handle) are none of these and are passed over at once.
    let may_make_an_address = |mark: usize| match bytes[mark] {
        b':' => bytes[mark + 1..].starts_with(b"//"),
        b'@' => previous_char(mark).is_some_and(|c| !c.is_whitespace()),
        _ => previous_char(mark).is_none_or(|c| !c.is_alphanumeric()),
    };
    let marks = memchr::memchr2_iter(b':', b'@', bytes)
        .chain(www().find_iter(bytes))
        .filter(|&mark| may_make_an_address(mark));
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for mark in marks {
        if out.iter().any(|token| token.contains(&mark)) {
            continue;
        }
        let start = text[..mark]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[mark..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(text.len(), |(i, _)| mark + i);
        if is_address(&text[start..end]) {
            out.push(start..end);
        }
    }
    // "www." marks come after the others: put the tokens in order.
    out.sort_unstable_by_key(|token| token.start);
    out
}

/// "www.", searched for with a searcher built once.
pub(crate) fn www() -> &'static memchr::memmem::Finder<'static> {
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    FINDER.get_or_init(|| memchr::memmem::Finder::new(b"www."))
}

/// A web or e-mail address written as one token: "https://...", "www.shop.bg/...",
/// "name@mail.bg" (a handle such as "@TeamYouTube" is words).
fn is_address(token: &str) -> bool {
    token.contains("://")
        || token
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .starts_with("www.")
        || token
            .split_once('@')
            .is_some_and(|(name, domain)| !name.is_empty() && domain.contains('.'))
}

/// Detects the language of a text. `None` when it has no letters at all.
pub fn detect(text: &str) -> Option<Detection> {
    Evidence::of(text).decide(|| text.to_string())
}

/// Detects the language of several texts taken together (a thread's customer messages).
pub fn detect_all<'a>(texts: impl IntoIterator<Item = &'a str> + Clone) -> Option<Detection> {
    let evidence = texts
        .clone()
        .into_iter()
        .map(Evidence::of)
        .fold(Evidence::default(), |sum, e| sum + e);
    evidence.decide(|| texts.into_iter().collect::<Vec<_>>().join("\n"))
}

fn letter_score(cues: &Cues, code: u32) -> usize {
    let index = (code as usize).wrapping_sub(0x400);
    cues.letter_scores.get(index).map_or(0, |&s| usize::from(s))
}

fn letter_scores(exclusive: &str, marker: &str) -> [u8; 256] {
    let mut scores = [0u8; 256];
    for (letters, score) in [(marker, 1), (exclusive, 3)] {
        for c in letters.chars() {
            if let Some(slot) = scores.get_mut((c as usize).wrapping_sub(0x400)) {
                *slot = score;
            }
        }
    }
    scores
}

fn whatlang_among(text: &str, langs: &[Lang]) -> Option<Lang> {
    debug_assert!(langs.iter().all(|l| l.is_cyrillic()));
    let allow = langs.iter().map(|l| l.whatlang()).collect();
    let detector = whatlang::Detector::with_allowlist(allow);
    let found = detector.detect_lang(text)?;
    langs.iter().copied().find(|l| l.whatlang() == found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_messages_that_fool_whatlang() {
        assert_eq!(
            detect("Здравствуйте! Где мой заказ?").unwrap().lang,
            Lang::Ru
        );
        assert_eq!(
            detect("Пришлите, пожалуйста, номер заказа.").unwrap().lang,
            Lang::Ru
        );
        assert_eq!(
            detect("Can I pay with a virtual wallet?").unwrap().lang,
            Lang::En
        );
        assert_eq!(detect("Къде е поръчката ми?").unwrap().lang, Lang::Bg);
        assert_eq!(
            detect("Кога ще пристигне пратката?").unwrap().lang,
            Lang::Bg
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]
        /// The address tokens are the whitespace-separated tokens that are addresses.
        #[test]
        fn address_tokens_are_the_tokens_that_are_addresses(
            text in "(https?://|www\\.|@|\\.|:|//|a|b\\.bg|ж| |\u{A0}|\n|[a-zа-я0-9]{1,4}){0,16}"
        ) {
            let mut expected = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                match (c.is_whitespace(), start) {
                    (true, Some(s)) => {
                        if is_address(&text[s..i]) {
                            expected.push(s..i);
                        }
                        start = None;
                    }
                    (false, None) => start = Some(i),
                    _ => {}
                }
            }
            proptest::prop_assert_eq!(address_tokens(&text), expected);
        }
    }

    #[test]
    fn addresses_are_not_language() {
        assert_eq!(
            detect("вижте тук 👉 https://sladki.bg/dostavka-i-plashtane")
                .unwrap()
                .lang,
            Lang::Bg
        );
        assert_eq!(
            detect("Пишите на support@example.com или смотрите www.example.com/help")
                .unwrap()
                .lang,
            Lang::Ru
        );
        assert_eq!(
            detect("@TeamYouTube my channel was suspended, see https://youtu.be/x")
                .unwrap()
                .lang,
            Lang::En
        );
        assert!(detect("https://example.com/help/reset-password").is_none());
    }

    /// Evidence read the plain way, char by char with a `String` for the word and the text
    /// split into tokens: what [`Evidence::of`] does on bytes.
    fn evidence_read_plainly(text: &str) -> Evidence {
        let mut total = Evidence::default();
        for token in text.split_whitespace().filter(|t| !is_address(t)) {
            let mut words: Vec<(String, bool)> = vec![(String::new(), false)];
            for c in token.chars() {
                let (word, cyrillic) = words.last_mut().unwrap();
                if c.is_ascii_alphanumeric() {
                    total.latin += usize::from(c.is_ascii_alphabetic());
                    word.push(c.to_ascii_lowercase());
                } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
                    let lower = crate::analysis::cyrillic_lower(c);
                    total.cyrillic += 1;
                    total.russian += letter_score(cues(Lang::Ru), u32::from(lower));
                    total.bulgarian += letter_score(cues(Lang::Bg), u32::from(lower));
                    word.push(match lower {
                        'ё' => 'е',
                        'ѝ' => 'и',
                        c => c,
                    });
                    *cyrillic = true;
                } else {
                    words.push((String::new(), false));
                }
            }
            for (word, cyrillic) in words {
                if let Some(&(ru, bg)) = cue_words()
                    .by_bytes
                    .get(word.as_bytes())
                    .filter(|_| cyrillic)
                {
                    total.russian += 2 * usize::from(ru);
                    total.bulgarian += 2 * usize::from(bg);
                }
            }
        }
        total
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn evidence_on_bytes_counts_as_read_plainly(
            text in "([a-zA-Z0-9 .:@/ёЁѝЍ]|[а-яА-Я]|[Ѐ-ӿ]|[ -~]|\\PC|\\s|www\\.|://|и |не |ще |да |моё |Моё |МОЁ |вѝе |ВИЕ ){0,40}"
        ) {
            proptest::prop_assert_eq!(Evidence::of(&text), evidence_read_plainly(&text));
        }
    }

    #[test]
    fn every_cue_word_fits_the_word_buffer() {
        for lang in [Lang::Ru, Lang::Bg] {
            for word in &cues(lang).cue_words {
                assert!(word.len() <= CUE_WORD_BYTES, "{word}");
                // `Evidence::of` does not look up words with Latin letters or digits.
                assert!(
                    word.chars().all(|c| ('\u{0400}'..='\u{04FF}').contains(&c)),
                    "{word}"
                );
            }
        }
    }

    #[test]
    fn no_letters_no_language() {
        assert!(detect("12345 !!! 🙂").is_none());
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("de"), None);
    }
}
