//! language-mismatch: the draft is in another language than the customer writes in (Russian and Bulgarian included).
//!
//! What it does: detects the language of the agent's own words (quoted trails and signatures
//! left out) and of the customer's latest turn, with the shared detector that separates
//! Russian from Bulgarian by their own letters and function words. The customer's language
//! is the one they asked for ("could you reply in Russian?", «можно ответить
//! по-английски?», `rules/<lang>/language-requests.toml`), else the one of their last
//! message when it says enough on its own (a customer may switch mid-turn), else the one of
//! their latest turn, else the one of all their messages; a customer who writes Russian or Bulgarian in
//! Latin letters (`rules/en/translit.toml`) is answered in that language. The rule stays
//! quiet when either detection is unsure: a short draft, a product name or an address in
//! another language does not change the language of the reply, and English needs English
//! prose (three lower-case words or more, few Cyrillic ones beside them): «Адрес: The Little
//! Rose, 37 Trumpington Street» is Russian, "Cherry Hinton Hall, Cherry Hinton Road" is a
//! name. Russian and Bulgarian are
//! told apart on ten words or more, or on fewer that hold two words only one of them writes
//! so («здравствуйте», «заказ», „ще“, „поръчка“, a «ы» or a „ъ“) and next to none of the
//! other's. A Cyrillic draft of four words or more to an English-writing customer is
//! reported even when its words do not tell Russian from Bulgarian, and so is an English
//! draft to a customer who writes four words or more in Cyrillic.
//!
//! Why: a reply the customer cannot read is no reply at all; one in a neighbouring language
//! (Russian to a Bulgarian) reads as a template sent to the wrong market. Seed 003: «Говорете
//! с клиента на неговия език».
//!
//! Bad:  customer «Къде е поръчката ми? Платих преди седмица.» / draft «Ваш заказ передан
//!       в доставку и придёт в четверг.»
//! Good: draft «Поръчката Ви е предадена на куриера и ще пристигне в четвъртък.»
//!
//! Options: none.

use crate::analysis::{MessageAnalysis, signals};
use crate::diagnostic::{Diagnostic, Severity};
use crate::language::{Evidence, Lang};

use super::{Context, Rule};

pub struct LanguageMismatch;

impl Rule for LanguageMismatch {
    fn id(&self) -> &'static str {
        "language-mismatch"
    }

    fn default_severity(&self) -> Severity {
        Severity::Error
    }

    fn summary(&self) -> &'static str {
        "the draft is in another language than the customer's"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        // Detections are used only when reliable, and a Russian–Bulgarian tie never is: no
        // tie-break is asked for, here or for the customer's messages below.
        let Some(found) = signals::own_evidence(draft).decide_quickly() else {
            return;
        };
        // The common case, settled without detecting the customer's text again: the draft and
        // the customer's latest messages are all surely in the thread's (Cyrillic) language.
        // English threads always take the long way, which also looks for transliteration.
        let latest = cx.latest_customer();
        let latest_agrees = !latest.is_empty()
            && latest.iter().all(|m| {
                m.detected
                    .is_some_and(|d| d.reliable && d.lang == cx.analysis.lang)
            });
        // A Cyrillic draft whose words do not tell Russian from Bulgarian («да, доставяме в
        // пловдив и в събота») is still not English.
        let cyrillic = found.lang != Lang::En && draft.own_word_count() >= MIN_SCRIPT_WORDS;
        if !(found.reliable || cyrillic)
            || (cx.analysis.lang != Lang::En && found.lang == cx.analysis.lang && latest_agrees)
        {
            return;
        }
        let Some(customer) = customer_language(cx) else {
            return;
        };
        let expected = customer.lang;
        let both_cyrillic = found.lang != Lang::En && expected != Lang::En;
        if found.lang == expected
            || both_cyrillic
                && (!found.reliable
                    || !customer.sure
                    || !tells_apart(&[draft], found.lang, draft.own_word_count()))
            || found.lang == Lang::En && {
                let scripts = Scripts::of(&[draft]);
                scripts.mixed() || !scripts.english_prose()
            }
            // A Cyrillic customer whose words do not say which language is answered wrongly
            // only in English, and only by a draft that surely is English.
            || !customer.which_sure && (found.lang != Lang::En || !found.reliable)
        {
            return;
        }
        // Unsure which Cyrillic language: say only what is sure.
        let drafted_in = if found.reliable {
            name(found.lang)
        } else {
            "Russian or Bulgarian"
        };
        let mut sentences = draft.own_sentences().filter(|(_, s)| !s.words.is_empty());
        let Some((_, first)) = sentences.next() else {
            return;
        };
        let end = sentences
            .last()
            .map_or(first.original.end, |(_, s)| s.original.end);
        let customer_name = if customer.which_sure {
            name(expected)
        } else {
            "Russian or Bulgarian"
        };
        out.push(
            cx.diagnostic(
                first.original.start..end,
                format!("the draft is in {drafted_in}, the customer writes in {customer_name}"),
            )
            .with_help(format!("answer in {}", customer_name)),
        );
    }
}

fn name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Ru => "Russian",
        Lang::Bg => "Bulgarian",
    }
}

/// How many own words of some messages are in each script, and how many are lower-case
/// English words (not names, codes or postcodes).
#[derive(Default)]
struct Scripts {
    latin: usize,
    lower_latin: usize,
    cyrillic: usize,
}

impl Scripts {
    fn of(messages: &[&MessageAnalysis<'_>]) -> Scripts {
        let mut counts = Scripts::default();
        for word in messages.iter().flat_map(|m| m.own_words()) {
            let shape = word.shape;
            if shape.has_ascii_alphabetic() {
                counts.latin += 1;
                if !shape.has_ascii_digit()
                    && shape.is_alphabetic()
                    && !shape.written_starts_uppercase()
                {
                    counts.lower_latin += 1;
                }
            } else if word
                .norm
                .chars()
                .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
            {
                counts.cyrillic += 1;
            }
        }
        counts
    }

    /// A good share of the words in each script: Russian glue around English place names
    /// («Это Scudamores Punting Co и The Cambridge Punter») is not English.
    fn mixed(&self) -> bool {
        let minority = self.latin.min(self.cyrillic);
        minority >= 2 && minority * 10 >= (self.latin + self.cyrillic) * 3
    }

    /// Written in English, not only naming things in it: three lower-case English words or
    /// more ("is", "open", "breakfast"), next to which Cyrillic words are few. Capitalised
    /// names, postcodes and codes are no English: «Адрес: The Little Rose, 37 Trumpington
    /// Street», "Cherry Hinton Hall, Cherry Hinton Road, cb18dw", «alexander bed and
    /// breakfast подойдет».
    fn english_prose(&self) -> bool {
        self.lower_latin >= 3 && self.cyrillic * 100 < (self.latin + self.cyrillic) * 15
    }
}

/// Own words a customer turn needs before its language counts on its own.
const MIN_WORDS: usize = 6;

/// Own words of a Cyrillic draft that make it surely not English, even when they do not
/// tell Russian from Bulgarian.
const MIN_SCRIPT_WORDS: usize = 4;

/// Own words needed to tell Russian from Bulgarian.
const MIN_CYRILLIC_WORDS: usize = 10;

/// The language a customer writes in or asked for.
struct CustomerLanguage {
    lang: Lang,
    /// Told surely enough to separate Russian from Bulgarian.
    sure: bool,
    /// False for Cyrillic text whose words do not say which of the two it is (`lang` is
    /// then Russian, and `sure` false): it is still not English.
    which_sure: bool,
}

/// The language the customer wants an answer in, when it can be told.
fn customer_language(cx: &Context<'_>) -> Option<CustomerLanguage> {
    // An explicit request wins: the latest message that makes one.
    for message in cx.customer_messages().collect::<Vec<_>>().into_iter().rev() {
        if let Some(requests) = cx.lexicons(message).language_requests
            && let Some(hit) = message.own_hits_of(Some(requests)).next()
            && let Some(lang) = cx
                .pack(message)
                .term(hit)
                .tag
                .as_deref()
                .and_then(Lang::from_code)
        {
            return Some(CustomerLanguage {
                lang,
                sure: true,
                which_sure: true,
            });
        }
    }
    // The latest turn decides when it says enough on its own ("TP-Link Archer C6" does not);
    // otherwise everything the customer wrote.
    let latest = cx.latest_customer();
    let latest_words: usize = latest.iter().map(|m| m.own_word_count()).sum();
    let all_words: usize = cx.customer_messages().map(|m| m.own_word_count()).sum();
    let evidence = |messages: &mut dyn Iterator<Item = &MessageAnalysis<'_>>| {
        messages.fold(Evidence::default(), |sum, m| sum + signals::own_evidence(m))
    };
    // A customer who switches language within a turn ("Здравейте, имам въпрос" / "sorry,
    // English is easier for me: ...") is answered in the language of their last message,
    // when that message says enough on its own.
    let last_detected = latest.last().filter(|_| latest.len() > 1).and_then(|last| {
        let words = last.own_word_count();
        let found = signals::own_evidence(last).decide_quickly()?;
        (found.reliable && words >= MIN_WORDS).then_some((
            found,
            words,
            &latest[latest.len() - 1..],
        ))
    });
    let latest_detected = evidence(&mut latest.iter()).decide_quickly();
    let all: Vec<&MessageAnalysis<'_>>;
    let (detected, words, read): (_, _, Vec<&MessageAnalysis<'_>>) =
        match (last_detected, latest_detected) {
            (Some((found, words, last)), _) => (found, words, last.iter().collect()),
            (None, Some(d)) if d.reliable && latest_words >= MIN_WORDS => {
                (d, latest_words, latest.iter().collect())
            }
            _ => {
                all = cx.customer_messages().collect();
                (
                    evidence(&mut all.iter().copied()).decide_quickly()?,
                    all_words,
                    all,
                )
            }
        };
    let lang = detected.lang;
    if !detected.reliable {
        // Cyrillic all the same («как да експортирам контактите в CSV?»): not English.
        return (lang != Lang::En && words >= MIN_SCRIPT_WORDS).then_some(CustomerLanguage {
            lang,
            sure: false,
            which_sure: false,
        });
    }
    // Russian words around English names («Я ищу University Arms Hotel») are not English.
    if lang == Lang::En {
        let scripts = Scripts::of(&read);
        if scripts.cyrillic > 0 && !scripts.english_prose() {
            return None;
        }
    }
    if lang == Lang::En {
        return Some(CustomerLanguage {
            lang: transliterated(cx).unwrap_or(Lang::En),
            sure: true,
            which_sure: true,
        });
    }
    Some(CustomerLanguage {
        lang,
        sure: tells_apart(&read, lang, words),
        which_sure: true,
    })
}

/// Whether Cyrillic text (`messages`, `words` own words in all, detected as `lang`) surely
/// is `lang` and not the other Cyrillic language. Russian and Bulgarian share most short
/// words, so a short text needs two words that only `lang` writes so (a cue word such as
/// «здравствуйте», „ще“, or a letter the other lacks: «ы», „ъ“) and next to none of the
/// other's; a longer one is sure by its overall cues.
fn tells_apart(messages: &[&MessageAnalysis<'_>], lang: Lang, words: usize) -> bool {
    if words >= MIN_CYRILLIC_WORDS {
        return true;
    }
    let (mut this, mut other) = (0usize, 0usize);
    for message in messages {
        for word in message.own_words() {
            match leaning(message.text_at(word.original.clone())) {
                Some(l) if l == lang => this += 1,
                Some(Lang::Ru | Lang::Bg) => other += 1,
                _ => {}
            }
        }
    }
    this >= 2 && other * 3 <= this
}

/// The Cyrillic language one word leans to, if any. A detection is reliable on a margin
/// of two points and eight Cyrillic letters; eight copies of a word's evidence meet that
/// exactly when the word has any margin at all.
fn leaning(word: &str) -> Option<Lang> {
    let once = Evidence::of_word(word);
    let twice = once + once;
    let four = twice + twice;
    let found = (four + four).decide_quickly()?;
    (found.reliable && found.lang != Lang::En).then_some(found.lang)
}

/// Russian or Bulgarian written in Latin letters: two or more cue words of one of them.
fn transliterated(cx: &Context<'_>) -> Option<Lang> {
    let mut counts = [0usize; 3];
    for message in cx.latest_customer() {
        let Some(translit) = cx.lexicons(message).translit else {
            continue;
        };
        for hit in message.own_hits_of(Some(translit)) {
            if let Some(lang) = cx
                .pack(message)
                .term(hit)
                .tag
                .as_deref()
                .and_then(Lang::from_code)
            {
                counts[lang.index()] += 1;
            }
        }
    }
    let words = cx
        .latest_customer()
        .iter()
        .map(|m| m.own_word_count())
        .sum::<usize>()
        .max(1);
    let (index, &best) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    (best >= 2 && best * 4 >= words).then(|| Lang::ALL[index])
}

#[cfg(test)]
mod tests {
    fn fired(customer: &str, draft: &str) -> usize {
        crate::rules::testing::findings("language-mismatch", customer, draft)
    }

    #[test]
    fn names_and_addresses_in_latin_letters_are_no_english() {
        assert_eq!(
            fired(
                "Какой адрес у Pizza Hut в Cherry Hinton?",
                "Адрес: G4 Cambridge Leisure Park, Clifton Way, Cherry Hinton."
            ),
            0
        );
        assert_eq!(
            fired(
                "Звучит здорово. Могу я узнать их адрес и почтовый индекс?",
                "Cherry Hinton Hall, Cherry Hinton Road, cb18dw."
            ),
            0
        );
        // Russian around an English name is Russian.
        assert_eq!(
            fired(
                "Я ищу University Arms Hotel.",
                "Отель University Arms расположен на Риджент-стрит, в центре города."
            ),
            0
        );
        // English prose is still English.
        assert_eq!(
            fired(
                "Какой адрес у Pizza Hut в Cherry Hinton?",
                "The address is G4 Cambridge Leisure Park, and it is open until ten tonight."
            ),
            1
        );
    }

    #[test]
    fn flags_a_reply_in_the_neighbouring_language() {
        assert_eq!(
            fired(
                "Здравейте, къде е поръчката ми? Платих преди една седмица, а още не е тръгнала от склада.",
                "Здравствуйте! Ваш заказ уже передан в службу доставки, он придёт в четверг."
            ),
            1
        );
    }

    #[test]
    fn a_cyrillic_reply_to_an_english_customer_even_when_unsure_which() {
        assert_eq!(
            fired(
                "do you deliver to Varna on sundays?",
                "да, доставяме във варна и в неделя, от 10 до 14 ч."
            ),
            1
        );
    }

    #[test]
    fn words_spelled_alike_in_both_languages_do_not_make_bulgarian_russian() {
        assert_eq!(
            fired(
                "Здравейте, може ли да платя с карта при доставка до офис?",
                "Здравейте! Да, може да платите с карта на куриера или в офиса при получаване."
            ),
            0
        );
    }

    #[test]
    fn a_short_message_with_telling_words_is_enough() {
        assert_eq!(
            fired(
                "Здравейте, кога ще изпратите поръчка 5521?",
                "Здравствуйте! Ваш заказ отправлен сегодня, доставка займёт 2 рабочих дня."
            ),
            1
        );
        // One telling word is not enough on a short message.
        assert_eq!(
            fired(
                "Здравейте, блокирана карта",
                "Здравствуйте! Карта разблокирована, попробуйте оплату ещё раз через пять минут."
            ),
            0
        );
    }

    #[test]
    fn english_to_a_cyrillic_customer_even_when_unsure_which() {
        assert_eq!(
            fired(
                "как да експортирам всички контакти в CSV?",
                "Open Contacts, click the three dots in the top right corner and choose Export to CSV."
            ),
            1
        );
    }

    #[test]
    fn a_transliterating_customer_is_answered_in_cyrillic() {
        assert_eq!(
            fired(
                "zdravstvuyte, ne prihodit sms s kodom dlya vhoda, chto delat?",
                "Здравствуйте! Нажмите «Отправить код ещё раз» через 60 секунд или выберите звонок."
            ),
            0
        );
    }

    #[test]
    fn same_language_is_fine() {
        assert_eq!(
            fired(
                "Hi, where is my order? I paid a week ago.",
                "Hi! Your order left our warehouse today and arrives on Thursday."
            ),
            0
        );
    }
}
