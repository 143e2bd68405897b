//! Word normalisation and stemming, so that lexicons match inflected forms.
//!
//! English and Russian use the Snowball stemmers of `rust-stemmers`. Bulgarian has no
//! maintained stemmer crate, so it gets a light suffix stripper: definite articles, plural
//! endings and the commonest verb endings, which is what matching a lexicon needs
//! (поръчка, поръчката, поръчки, поръчките all become поръчк).

use rust_stemmers::{Algorithm, Stemmer};

use crate::language::Lang;

/// Lower case, with the letters that writers use interchangeably folded together
/// (ё→е, ѝ→и, typographic apostrophes).
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ё' | 'Ё' => out.push('е'),
            'ѝ' | 'Ѝ' => out.push('и'),
            '\u{2019}' | '\u{02BC}' | '`' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A stemmer for one language.
pub struct WordStemmer {
    snowball: Option<Stemmer>,
}

impl WordStemmer {
    pub fn new(lang: Lang) -> WordStemmer {
        let snowball = match lang {
            Lang::En => Some(Stemmer::create(Algorithm::English)),
            Lang::Ru => Some(Stemmer::create(Algorithm::Russian)),
            Lang::Bg => None,
        };
        WordStemmer { snowball }
    }

    /// The stem of an already normalised word.
    pub fn stem(&self, normalized: &str) -> String {
        match &self.snowball {
            Some(stemmer) => stemmer.stem(normalized).into_owned(),
            None => bulgarian_stem(normalized),
        }
    }
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
    for suffix in BULGARIAN_SUFFIXES {
        if let Some(stem) = word.strip_suffix(suffix)
            && length - suffix.chars().count() >= 3
        {
            return stem.to_string();
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(lang: Lang, words: &[&str]) -> Vec<String> {
        let stemmer = WordStemmer::new(lang);
        words.iter().map(|w| stemmer.stem(&normalize(w))).collect()
    }

    #[test]
    fn bulgarian_forms_share_a_stem() {
        let s = stems(Lang::Bg, &["поръчка", "поръчката", "поръчки", "поръчките"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
        let s = stems(Lang::Bg, &["пратка", "пратката", "пратки"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
    }

    #[test]
    fn russian_forms_share_a_stem() {
        let s = stems(Lang::Ru, &["заказ", "заказа", "заказом", "Заказе"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
        assert_eq!(normalize("Ещё"), "еще");
    }

    #[test]
    fn english_forms_share_a_stem() {
        let s = stems(Lang::En, &["escalate", "escalated", "escalating"]);
        assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
    }

    #[test]
    fn masculine_nouns_keep_their_stem_with_the_article() {
        for forms in [
            ["телефон", "телефона", "телефонът"],
            ["имейл", "имейла", "имейлът"],
        ] {
            let s = stems(Lang::Bg, &forms);
            assert!(s.iter().all(|x| x == &s[0]), "{s:?}");
        }
        assert_ne!(stems(Lang::Bg, &["пакет"]), stems(Lang::Bg, &["пак"]));
    }

    #[test]
    fn short_bulgarian_words_are_kept() {
        assert_eq!(stems(Lang::Bg, &["ще"]), vec!["ще"]);
    }
}
