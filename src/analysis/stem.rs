//! Word normalisation and stemming, so that lexicons match inflected forms.
//!
//! English and Russian use the Snowball stemmers of `rust-stemmers`. Bulgarian has no
//! maintained stemmer crate, so it gets a light suffix stripper: definite articles, plural
//! endings and the commonest verb endings, which is what matching a lexicon needs
//! (поръчка, поръчката, поръчки, поръчките all become поръчк).

//!
//! This file is also compiled into the build script, which stems the shipped lexicons ahead
//! of time; it therefore depends on nothing else in the crate.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// Lower case, with the letters that writers use interchangeably folded together
/// (ё→е, ѝ→и, typographic apostrophes).
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// [`normalize`] into a buffer the caller reuses: analysis normalises every word of every
/// message.
pub fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() && !word.contains('`') {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    out.reserve(word.len());
    for c in word.chars() {
        match c {
            'ё' | 'Ё' => out.push('е'),
            'ѝ' | 'Ѝ' => out.push('и'),
            '\u{2019}' | '\u{02BC}' | '`' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '\u{0400}'..='\u{04FF}' => out.push(cyrillic_lower(c)),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The lower case of a Cyrillic letter; the Russian and Bulgarian alphabets without a table
/// lookup, since this runs on every letter of every message.
pub fn cyrillic_lower(c: char) -> char {
    let shifted = match c {
        'А'..='Я' => c as u32 + 0x20,
        'Ѐ'..='Џ' => c as u32 + 0x50,
        'а'..='я' | 'ѐ'..='џ' => return c,
        _ => return c.to_lowercase().next().unwrap_or(c),
    };
    char::from_u32(shifted).unwrap_or(c)
}

/// A stemmer for one language.
pub struct WordStemmer {
    snowball: Option<Stemmer>,
    bulgarian: bool,
}

impl WordStemmer {
    /// The stemmer of a language by its code (`en`, `ru`, `bg`); Bulgarian's suffix stripper
    /// for `bg`, no stemming for an unknown code.
    pub fn for_language(code: &str) -> WordStemmer {
        let snowball = match code {
            "en" => Some(Stemmer::create(Algorithm::English)),
            "ru" => Some(Stemmer::create(Algorithm::Russian)),
            _ => None,
        };
        WordStemmer {
            snowball,
            bulgarian: code == "bg",
        }
    }

    /// The stem of an already normalised word.
    pub fn stem(&self, normalized: &str) -> String {
        match &self.snowball {
            Some(stemmer) => stemmer.stem(normalized).into_owned(),
            None if self.bulgarian => bulgarian_stem(normalized),
            None => normalized.to_string(),
        }
    }
}

/// Why a lexicon phrase cannot be compiled, if it cannot.
pub fn phrase_problem(phrase: &str) -> Option<&'static str> {
    if phrase.unicode_words().next().is_none() {
        return Some("the phrase has no words");
    }
    let stars = phrase.matches('*').count();
    if stars > 1 || (stars == 1 && !phrase.trim_end().ends_with('*')) {
        return Some("`*` may only end the last word of a phrase");
    }
    None
}

/// The automaton pattern of a lexicon phrase and its number of words: " stem1 stem2 " for a
/// whole-word phrase, " stem1 prefix" for one whose last word ends in `*`.
pub fn phrase_pattern(phrase: &str, stemmer: &WordStemmer) -> Option<(String, usize)> {
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

/// Bulgarian endings, longest first so that "ата" wins over "а". Adjective endings such as
/// "-на" or "-ен" are left out: they would cut masculine nouns with their short article
/// (телефона, имейла) away from their base form (телефон, имейл); "-ет" is left out because
/// it cuts nouns such as пакет and билет down to unrelated words.
const BULGARIAN_SUFFIXES: &[&str] = &[
    "ищата",
    "ището",
    "ахме",
    "яхме",
    "ихме",
    "ахте",
    "яхте",
    "ихте",
    "ната",
    "ното",
    "ните",
    "ният",
    "ията",
    "ието",
    "ове",
    "еве",
    "ите",
    "ата",
    "ята",
    "ото",
    "ето",
    "ища",
    "ище",
    "аха",
    "яха",
    "иха",
    "ами",
    "ане",
    "яне",
    "ия",
    "ии",
    "ие",
    "ът",
    "ят",
    "та",
    "то",
    "те",
    "ам",
    "ям",
    "аш",
    "яш",
    "ат",
    "ем",
    "еш",
    "им",
    "иш",
    "ах",
    "ях",
    "их",
    "ме",
    "ше",
    "а",
    "я",
    "о",
    "е",
    "и",
    "у",
    "ъ",
];

fn bulgarian_stem(word: &str) -> String {
    let length = word.chars().count();
    let stem = BULGARIAN_SUFFIXES
        .iter()
        .find_map(|suffix| {
            word.strip_suffix(suffix)
                .filter(|_| length - suffix.chars().count() >= 3)
        })
        .unwrap_or(word);
    without_noun_k(stem).to_string()
}

/// A stem without the "-к" of a noun made from a verb (проверка, доставка, поръчка,
/// отстъпка: провери, достави, поръча), so the noun and the verb share a stem. Only after a
/// consonant, and only where five letters or more remain: shorter stems (сметка, снимка,
/// заявка, банка) keep it, so сметка ("bill") does not become смет ("rubbish").
fn without_noun_k(stem: &str) -> &str {
    let Some(rest) = stem.strip_suffix('к') else {
        return stem;
    };
    let consonant_before = rest
        .chars()
        .next_back()
        .is_some_and(|c| !"аъоуеиюяйь".contains(c) && c.is_alphabetic());
    if consonant_before && rest.chars().count() >= 5 {
        rest
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(lang: &str, words: &[&str]) -> Vec<String> {
        let stemmer = WordStemmer::for_language(lang);
        words.iter().map(|w| stemmer.stem(&normalize(w))).collect()
    }

    #[test]
    fn cyrillic_lower_agrees_with_unicode() {
        for c in ('\u{0400}'..='\u{04FF}').chain('A'..='z') {
            let unicode = c.to_lowercase().next().unwrap();
            assert_eq!(cyrillic_lower(c), unicode, "{c}");
        }
        assert_eq!(normalize("ЁЛКА Ѝ Don`t"), "елка и don't");
    }

    #[test]
    fn bulgarian_forms_share_a_stem() {
        let s = stems("bg", &["поръчка", "поръчката", "поръчки", "поръчките"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
        let s = stems("bg", &["пратка", "пратката", "пратки"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
    }

    #[test]
    fn russian_forms_share_a_stem() {
        let s = stems("ru", &["заказ", "заказа", "заказом", "Заказе"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
        assert_eq!(normalize("Ещё"), "еще");
    }

    #[test]
    fn english_forms_share_a_stem() {
        let s = stems("en", &["escalate", "escalated", "escalating"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
    }

    #[test]
    fn masculine_nouns_keep_their_stem_with_the_article() {
        for forms in [
            ["телефон", "телефона", "телефонът"],
            ["имейл", "имейла", "имейлът"],
        ] {
            let s = stems("bg", &forms);
            assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
        }
        assert_ne!(stems("bg", &["пакет"]), stems("bg", &["пак"]));
    }

    #[test]
    fn bulgarian_nouns_share_a_stem_with_their_verbs_and_articles() {
        for forms in [
            &["показание", "показанието", "показания", "показанията"][..],
            &["заявление", "заявлението", "заявления"],
            &["проверка", "проверката", "проверки", "провери", "проверих"],
            &["доставка", "доставката", "доставки", "достави"],
        ] {
            let s = stems("bg", forms);
            assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
        }
        // Short stems keep their "к": a bill is not rubbish, a photo is not "to shoot".
        assert_ne!(stems("bg", &["сметка"]), stems("bg", &["смет"]));
        assert_ne!(stems("bg", &["банка"]), stems("bg", &["бана"]));
    }

    #[test]
    fn short_bulgarian_words_are_kept() {
        assert_eq!(stems("bg", &["ще"]), vec!["ще"]);
    }
}
