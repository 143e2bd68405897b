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

/// Every cue word with whether it is one of Russian and of Bulgarian: one lookup a word.
fn cue_words() -> &'static FxHashMap<String, (bool, bool)> {
    static WORDS: OnceLock<FxHashMap<String, (bool, bool)>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: FxHashMap<String, (bool, bool)> = FxHashMap::default();
        for word in &cues(Lang::Ru).cue_words {
            words.entry(word.clone()).or_default().0 = true;
        }
        for word in &cues(Lang::Bg).cue_words {
            words.entry(word.clone()).or_default().1 = true;
        }
        words
    })
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
        let may_hold_an_address =
            text.contains("://") || text.contains("www.") || text.contains('@');
        if !may_hold_an_address {
            return Evidence::of_words(text);
        }
        // Whitespace ends every word, so reading token by token counts the same.
        text.split_whitespace()
            .filter(|token| !is_address(token))
            .map(Evidence::of_words)
            .fold(Evidence::default(), |sum, e| sum + e)
    }

    /// Reads a text in one pass. Words are runs of ASCII letters, digits and Cyrillic
    /// letters, which is all the cue lists need.
    fn of_words(text: &str) -> Evidence {
        let (russian, bulgarian) = (cues(Lang::Ru), cues(Lang::Bg));
        let mut evidence = Evidence::default();
        // The word being read, lower case, with ё→е and ѝ→и as the cue lists spell them.
        let mut word = String::with_capacity(32);
        let mut word_is_cyrillic = false;
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                evidence.latin += usize::from(c.is_ascii_alphabetic());
                word.push(c.to_ascii_lowercase());
            } else if is_cyrillic(c) {
                evidence.cyrillic += 1;
                word_is_cyrillic = true;
                let lower = crate::analysis::cyrillic_lower(c);
                evidence.russian += letter_score(russian, lower);
                evidence.bulgarian += letter_score(bulgarian, lower);
                word.push(match lower {
                    'ё' => 'е',
                    'ѝ' => 'и',
                    c => c,
                });
            } else if !word.is_empty() {
                evidence.count_cue_word(&word, word_is_cyrillic);
                word.clear();
                word_is_cyrillic = false;
            }
        }
        evidence.count_cue_word(&word, word_is_cyrillic);
        evidence
    }

    fn count_cue_word(&mut self, word: &str, cyrillic: bool) {
        if cyrillic && let Some(&(russian, bulgarian)) = cue_words().get(word) {
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

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn letter_score(cues: &Cues, c: char) -> usize {
    let index = (c as usize).wrapping_sub(0x400);
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
