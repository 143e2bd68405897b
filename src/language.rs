//! Languages replylint supports, and detection that works on short support messages.
//!
//! whatlang alone is unreliable on one-line messages (it calls "Где мой заказ?" Bulgarian and
//! "Can I pay with a virtual wallet?" Welsh), so detection first decides the script, then
//! separates Russian from Bulgarian with cues whatlang ignores: letters that exist in only one
//! of them and frequent function words, read from `rules/<lang>/language.toml`. whatlang,
//! restricted to the supported languages, breaks ties.

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

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
    abbreviations: FxHashSet<String>,
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
                    abbreviations: file
                        .abbreviations
                        .iter()
                        .map(|a| a.trim_end_matches('.').to_lowercase())
                        .collect(),
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
        for word in &cues(Lang::Ru).cue_words {
            words.entry(word.as_bytes().into()).or_default().0 = true;
        }
        for word in &cues(Lang::Bg).cue_words {
            words.entry(word.as_bytes().into()).or_default().1 = true;
        }
        words
    })
}

/// Cue words by their UTF-8 bytes: (a Russian cue, a Bulgarian cue).
type CueWords = FxHashMap<Box<[u8]>, (bool, bool)>;

/// Room for the longest cue word (24 bytes today; a test keeps every cue word within it).
const CUE_WORD_BYTES: usize = 32;

/// The word being read by [`Evidence::of`], lower case UTF-8, on the stack.
#[derive(Default)]
struct CueWordBuffer {
    bytes: [u8; CUE_WORD_BYTES],
    /// Bytes written; past the buffer's size the word is only counted, not kept.
    len: usize,
    cyrillic: bool,
}

impl CueWordBuffer {
    fn push_ascii(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
        }
        self.len += 1;
    }

    /// `code` is a lower-case letter of U+0400..U+04FF, two bytes in UTF-8.
    fn push_cyrillic(&mut self, code: u32) {
        self.cyrillic = true;
        if self.len + 2 <= CUE_WORD_BYTES {
            self.bytes[self.len] = 0xC0 | (code >> 6) as u8;
            self.bytes[self.len + 1] = 0x80 | (code & 0x3F) as u8;
        }
        self.len += 2;
    }
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
pub fn abbreviations(lang: Lang) -> &'static FxHashSet<String> {
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
        let (russian, bulgarian) = (cues(Lang::Ru), cues(Lang::Bg));
        let bytes = text.as_bytes();
        let mut total = Evidence::default();
        // Whitespace ends every word, so evidence is gathered token by token and a token
        // that turns out to be an address is dropped whole.
        let mut token = Evidence::default();
        let mut token_start = 0;
        // Only a token with ':', '@' or "www." can be an address (see `is_address`).
        let mut may_be_address = false;
        // The word being read as UTF-8, lower case, with ё→е and ѝ→и as the cue lists spell
        // them. A word too long for the buffer is no cue word.
        let mut word = CueWordBuffer::default();
        let mut at = 0;
        // Read byte by byte: this runs on every letter of every message, and the letters
        // that matter are ASCII or two-byte Cyrillic (U+0400..U+04FF, lead bytes D0..D3).
        while at < bytes.len() {
            let byte = bytes[at];
            if byte.is_ascii_alphanumeric() {
                token.latin += usize::from(byte.is_ascii_alphabetic());
                word.push_ascii(byte.to_ascii_lowercase());
                at += 1;
                continue;
            }
            if (0xD0..=0xD3).contains(&byte) {
                let code = (u32::from(byte & 0x1F) << 6) | u32::from(bytes[at + 1] & 0x3F);
                let lower = cyrillic_lower_code(code);
                token.cyrillic += 1;
                token.russian += letter_score(russian, lower);
                token.bulgarian += letter_score(bulgarian, lower);
                word.push_cyrillic(match lower {
                    0x451 => 0x435, // ё → е
                    0x45D => 0x438, // ѝ → и
                    code => code,
                });
                at += 2;
                continue;
            }
            token.count_cue_word(&mut word);
            let c = text[at..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                if !(may_be_address && is_address(&text[token_start..at])) {
                    total = total + token;
                }
                token = Evidence::default();
                token_start = at + c.len_utf8();
                may_be_address = false;
            } else if c == ':' || c == '@' || c == '.' && text[..at].ends_with("www") {
                may_be_address = true;
            }
            at += c.len_utf8();
        }
        token.count_cue_word(&mut word);
        if !(may_be_address && is_address(&text[token_start..])) {
            total = total + token;
        }
        total
    }

    /// Scores the word just read, if it is a Cyrillic cue word, and starts a new word.
    fn count_cue_word(&mut self, word: &mut CueWordBuffer) {
        if word.cyrillic
            && word.len <= word.bytes.len()
            && let Some(&(russian, bulgarian)) = cue_words().get(&word.bytes[..word.len])
        {
            self.russian += 2 * usize::from(russian);
            self.bulgarian += 2 * usize::from(bulgarian);
        }
        *word = CueWordBuffer::default();
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
                if let Some(&(ru, bg)) = cue_words().get(word.as_bytes()).filter(|_| cyrillic) {
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
