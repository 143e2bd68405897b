//! Word and sentence boundaries of Unicode's UAX #29, worked out by hand for everyday Latin
//! and Cyrillic text, and left to unicode-segmentation for everything else.
//!
//! The segmenter's general tables cost more than the rest of a message's analysis put
//! together, and almost every support message is written in a small alphabet: ASCII,
//! Latin-1 letters, Cyrillic, the common quotes and dashes. For text made only of those
//! characters the rules reduce to a few character classes, and the answers are the same
//! (the tests below compare both on random text and on every corpus message). Any other
//! character (emoji, combining marks, other scripts) sends the whole text to the crate.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Byte ranges of the words of `text`, as `unicode_word_indices` gives them: runs of letters
/// and digits kept together over apostrophes, inner full stops and decimal separators.
#[cfg(test)]
pub fn words(text: &str) -> Vec<Range<usize>> {
    words_and_script(text).0
}

/// [`words`], and whether the text is made only of the everyday characters handled by
/// hand (then its sentences can skip the same check: see [`sentence_pieces_of_everyday`]).
pub fn words_and_script(text: &str) -> (Vec<Range<usize>>, bool) {
    match words_by_hand(text) {
        Some(words) => (words, true),
        None => (
            text.unicode_word_indices()
                .map(|(start, word)| start..start + word.len())
                .collect(),
            false,
        ),
    }
}

/// Byte ranges of the pieces of `text` between sentence boundaries, covering all of it, as
/// `split_sentence_bound_indices` gives them.
pub fn sentence_pieces(text: &str) -> Vec<Range<usize>> {
    if is_everyday(text) {
        sentence_pieces_of_everyday(text)
    } else {
        by_the_crate(text)
    }
}

/// [`sentence_pieces`] of a text known to be made only of everyday characters (a piece of
/// one for which [`words_and_script`] said so).
pub fn sentence_pieces_of_everyday(text: &str) -> Vec<Range<usize>> {
    debug_assert!(is_everyday(text));
    sentence_pieces_by_hand(text)
}

fn by_the_crate(text: &str) -> Vec<Range<usize>> {
    text.split_sentence_bound_indices()
        .map(|(start, piece)| start..start + piece.len())
        .collect()
}

/// Word-break classes (UAX #29, table 3) of the characters handled by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Letter,
    Numeric,
    /// `_`
    ExtendNumLet,
    /// `:`
    MidLetter,
    /// `.`, `‘`, `’` and the apostrophe `'` (which behaves the same outside Hebrew).
    MidNumLetQ,
    /// `,`, `;`
    MidNum,
    Other,
}

static ASCII_WORD_CLASSES: [Option<WordClass>; 128] = {
    use WordClass::*;
    let mut table = [None; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = match byte as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Some(Letter),
            b'0'..=b'9' => Some(Numeric),
            b'_' => Some(ExtendNumLet),
            b':' => Some(MidLetter),
            b'.' | b'\'' => Some(MidNumLetQ),
            b',' | b';' => Some(MidNum),
            b'\t'..=b'\r' | b' '..=b'~' => Some(Other),
            _ => None,
        };
        byte += 1;
    }
    table
};

/// The word class of the character that starts at byte `at`, and its length, read from the
/// UTF-8 bytes without decoding (the same answers as [`word_class`]).
#[inline(always)]
fn word_class_at(bytes: &[u8], at: usize) -> Option<(WordClass, usize)> {
    use WordClass::*;
    let next = |k: usize| bytes.get(at + k).copied().unwrap_or(0);
    match bytes[at] {
        byte @ 0..=0x7F => ASCII_WORD_CLASSES[usize::from(byte)].map(|class| (class, 1)),
        // Ѐ..п, р..џ
        0xD0 => Some((Letter, 2)),
        0xD1 if next(1) <= 0x9F => Some((Letter, 2)),
        // À..ÿ but × (C3 97) and ÷ (C3 B7)
        0xC3 if next(1) != 0x97 && next(1) != 0xB7 => Some((Letter, 2)),
        // NBSP, «, »
        0xC2 if matches!(next(1), 0xA0 | 0xAB | 0xBB) => Some((Other, 2)),
        0xE2 => match (next(1), next(2)) {
            (0x80, 0x98 | 0x99) => Some((MidNumLetQ, 3)),
            (0x80, 0x93 | 0x94 | 0x9C | 0x9D | 0xA6) | (0x84, 0x96) => Some((Other, 3)),
            _ => None,
        },
        _ => None,
    }
}

fn words_by_hand(text: &str) -> Option<Vec<Range<usize>>> {
    use WordClass::*;
    let bytes = text.as_bytes();
    let mut words = Vec::with_capacity(text.len() / 6 + 1);
    let mut i = 0;
    // Between words: every character is read (one without a class hands the text over),
    // and a word opens at a letter, a digit or `_` (WB4..WB13b cannot join anything else).
    while i < bytes.len() {
        // Spaces and punctuation between words, the commonest bytes here.
        if bytes[i] < 0x80 && ASCII_WORD_CLASSES[usize::from(bytes[i])] == Some(Other) {
            i += 1;
            continue;
        }
        let (class, len) = word_class_at(bytes, i)?;
        if !matches!(class, Letter | Numeric | ExtendNumLet) {
            i += len;
            continue;
        }
        let start = i;
        let mut last = class;
        // A run of `_` alone is no word.
        let mut alphanumeric = class != ExtendNumLet;
        i += len;
        while i < bytes.len() {
            // The letters and digits of a word, the commonest case, on one test each: ASCII
            // by the table, Cyrillic U+0400..U+045F by its lead byte (and, after D1, the
            // second).
            let byte = bytes[i];
            if byte < 0x80 {
                if let Some(class @ (Letter | Numeric)) = ASCII_WORD_CLASSES[usize::from(byte)] {
                    alphanumeric = true;
                    last = class;
                    i += 1;
                    continue;
                }
            } else if byte == 0xD0 || byte == 0xD1 && bytes.get(i + 1).is_some_and(|&b| b <= 0x9F) {
                alphanumeric = true;
                last = Letter;
                i += 2;
                continue;
            }
            let (class, len) = word_class_at(bytes, i)?;
            match class {
                // WB5, WB8, WB9, WB10, WB13a, WB13b.
                Letter | Numeric | ExtendNumLet => {
                    alphanumeric |= class != ExtendNumLet;
                    last = class;
                    i += len;
                }
                // WB6/WB7 (letters) and WB11/WB12 (digits) across one separator.
                MidLetter | MidNumLetQ | MidNum => {
                    let after = (i + len < bytes.len())
                        .then(|| word_class_at(bytes, i + len))
                        .flatten();
                    let after_class = after.map(|(class, _)| class);
                    let joins = match class {
                        MidLetter => last == Letter && after_class == Some(Letter),
                        MidNumLetQ => {
                            (last == Letter && after_class == Some(Letter))
                                || (last == Numeric && after_class == Some(Numeric))
                        }
                        _ => last == Numeric && after_class == Some(Numeric),
                    };
                    match (joins, after) {
                        (true, Some((next_class, next_len))) => {
                            last = next_class;
                            i += len + next_len;
                        }
                        // The separator is read again between words.
                        _ => break,
                    }
                }
                Other => break,
            }
        }
        if alphanumeric {
            words.push(start..i);
        }
    }
    Some(words)
}

/// Sentence-break classes (UAX #29, table 4) of the characters handled by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SentenceClass {
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    /// `.`
    ATerm,
    /// `!`, `?`
    STerm,
    /// Quotes and brackets.
    Close,
    /// `,`, `-`, `:`, `;`, `–`, `—`
    SContinue,
    Other,
}

fn sentence_class(c: char) -> Option<SentenceClass> {
    use SentenceClass::*;
    match c {
        '\0'..='\u{7F}' => ASCII_SENTENCE_CLASSES[c as usize],
        'а'..='џ' | 'ß'..='ÿ' if c != '÷' => Some(Lower),
        'Ѐ'..='Я' | 'À'..='Þ' if c != '×' => Some(Upper),
        '\u{A0}' => Some(Sp),
        '«' | '»' | '‘' | '’' | '“' | '”' => Some(Close),
        '–' | '—' => Some(SContinue),
        '…' | '№' => Some(Other),
        _ => None,
    }
}

static ASCII_SENTENCE_CLASSES: [Option<SentenceClass>; 128] = {
    use SentenceClass::*;
    let mut table = [None; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = match byte as u8 {
            b'\r' => Some(Cr),
            b'\n' => Some(Lf),
            b'\t' | 0x0B | 0x0C | b' ' => Some(Sp),
            b'a'..=b'z' => Some(Lower),
            b'A'..=b'Z' => Some(Upper),
            b'0'..=b'9' => Some(Numeric),
            b'.' => Some(ATerm),
            b'!' | b'?' => Some(STerm),
            b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Some(Close),
            b',' | b'-' | b':' | b';' => Some(SContinue),
            b' '..=b'~' => Some(Other),
            _ => None,
        };
        byte += 1;
    }
    table
};

/// Whether every character of `text` has a class here (the same set for words and
/// sentences), read from the bytes.
fn is_everyday(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match word_class_at(bytes, i) {
            Some((_, len)) => i += len,
            None => return false,
        }
    }
    true
}

/// Sentence pieces of an everyday text (see [`is_everyday`]).
fn sentence_pieces_by_hand(text: &str) -> Vec<Range<usize>> {
    // Boundaries fall only after a line break (SB4) or after "Term Close* Sp*" (SB11), so
    // only those places are looked at. Terminators and line breaks are ASCII.
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let bytes = text.as_bytes();
    let mut cut = |boundary: Option<usize>| {
        if let Some(boundary) = boundary.filter(|&b| b < text.len()) {
            pieces.push(piece_start..boundary);
            piece_start = boundary;
        }
    };
    if memchr::memchr2(b'\n', b'\r', bytes).is_none() {
        // One line, the commonest block: only its terminators, found by a vectorised search.
        for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
            cut(boundary_after_terminator(text, i));
        }
    } else {
        for (i, &byte) in bytes.iter().enumerate() {
            cut(match byte {
                b'\n' => Some(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1), // SB3
                b'.' | b'!' | b'?' => boundary_after_terminator(text, i),
                _ => None,
            });
        }
    }
    if piece_start < text.len() {
        pieces.push(piece_start..text.len());
    }
    pieces
}

/// Where the sentence ends after the terminator at byte `at`, if it ends there: after the
/// closing quotes and spaces that follow it (SB9, SB10), unless what comes next continues
/// the sentence (SB6, SB7, SB8, SB8a) or is a line break (SB4 ends it after the break).
fn boundary_after_terminator(text: &str, at: usize) -> Option<usize> {
    use SentenceClass::*;
    let full_stop = text.as_bytes()[at] == b'.';
    let after_letter = text[..at]
        .chars()
        .next_back()
        .and_then(sentence_class)
        .is_some_and(|class| matches!(class, Lower | Upper));
    let mut seen_close = false;
    let mut seen_space = false;
    for (offset, c) in text[at + 1..].char_indices() {
        let class = sentence_class(c)?;
        match class {
            Close if !seen_space => {
                seen_close = true;
                continue;
            }
            Sp => {
                seen_space = true;
                continue;
            }
            _ => {}
        }
        let right_after_stop = full_stop && !seen_close && !seen_space;
        let position = at + 1 + offset;
        let kept = matches!(class, Cr | Lf | SContinue | ATerm | STerm) // SB4, SB8a
            || (right_after_stop && class == Numeric) // SB6
            || (right_after_stop && after_letter && class == Upper) // SB7
            || (full_stop && lower_follows(&text[position..])); // SB8
        return (!kept).then_some(position);
    }
    None
}

/// SB8: after "ATerm Close* Sp*", no boundary when a lower-case letter follows before any
/// other letter, terminator or line break.
fn lower_follows(rest: &str) -> bool {
    use SentenceClass::*;
    rest.chars()
        .map(sentence_class)
        .find(|class| !matches!(class, Some(Sp | Close | SContinue | Numeric | Other)))
        .is_some_and(|class| class == Some(Lower))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The word classes character by character, as UAX #29's table gives them: the
    /// reference the byte reading is checked against.
    fn word_class(c: char) -> Option<WordClass> {
        match c {
            '\0'..='\u{7F}' => ASCII_WORD_CLASSES[c as usize],
            'Ѐ'..='џ' => Some(WordClass::Letter),
            _ if is_latin1_letter(c) => Some(WordClass::Letter),
            '‘' | '’' => Some(WordClass::MidNumLetQ),
            '\u{A0}' | '«' | '»' | '–' | '—' | '“' | '”' | '…' | '№' => {
                Some(WordClass::Other)
            }
            _ => None,
        }
    }

    /// À–ÿ without × and ÷.
    fn is_latin1_letter(c: char) -> bool {
        matches!(c, '\u{C0}'..='\u{FF}') && c != '×' && c != '÷'
    }

    fn crate_words(text: &str) -> Vec<Range<usize>> {
        text.unicode_word_indices()
            .map(|(start, word)| start..start + word.len())
            .collect()
    }

    fn crate_sentences(text: &str) -> Vec<Range<usize>> {
        text.split_sentence_bound_indices()
            .map(|(start, piece)| start..start + piece.len())
            .collect()
    }

    /// Text drawn mostly from the characters whose classes matter to the rules.
    fn everyday_text() -> impl Strategy<Value = String> {
        let pick = prop::sample::select(vec![
            'a', 'b', 'Z', 'Q', 'ж', 'Ж', 'я', 'Ё', 'é', 'Ü', 'ß', '0', '7', '.', '.', '!', '?',
            ',', ';', ':', '-', '–', '—', '_', '\'', '’', '‘', '"', '“', '”', '«', '»', '(', ')',
            '[', ']', ' ', ' ', ' ', '\u{A0}', '\t', '\n', '\n', '\r', '…', '№', '/', '@', '#',
            '×',
        ]);
        prop::collection::vec(pick, 0..40).prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn words_match_the_segmenter(text in everyday_text()) {
            prop_assert_eq!(words(&text), crate_words(&text));
            prop_assert_eq!(words_and_script(&text).1, is_everyday(&text));
        }

        #[test]
        fn sentences_match_the_segmenter(text in everyday_text()) {
            prop_assert_eq!(sentence_pieces(&text), crate_sentences(&text));
        }
    }

    #[test]
    fn classes_read_from_bytes_match_classes_of_chars() {
        for c in ('\0'..='\u{3000}').chain(['№', '‘', '’', '“', '”', '…', '🙂']) {
            let text = c.to_string();
            let from_bytes = word_class_at(text.as_bytes(), 0);
            assert_eq!(
                from_bytes,
                word_class(c).map(|class| (class, text.len())),
                "{c:?}"
            );
            assert_eq!(
                word_class(c).is_some(),
                sentence_class(c).is_some(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn hand_rules_cover_everyday_text_and_hand_off_the_rest() {
        assert!(words_by_hand("Заказ №12, e-mail: a.b@c.de — ok?").is_some());
        assert!(is_everyday("Hi. «Готово» – yes!"));
        assert!(words_by_hand("thanks 🙂").is_none());
        assert!(!is_everyday("ок 👍 Спасибо"));
    }

    /// Every message of the labelled corpora and of the real conversations beside the
    /// repository: where the hand rules answer, they answer as the segmenter does.
    #[test]
    fn corpus_messages_match_the_segmenter() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("corpora"), root.join("../shared/corpora-real")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "json" || e == "jsonl")
                {
                    files.push(path);
                }
            }
        }
        let mut handled = 0;
        for file in &files {
            let content = std::fs::read_to_string(file).expect("corpus file");
            for line in content.lines() {
                for text in line.split("\"text\": \"").skip(1) {
                    let raw = &text[..text.find("\"").unwrap_or(text.len())];
                    let text = raw.replace("\\n", "\n");
                    if let Some(by_hand) = words_by_hand(&text) {
                        handled += 1;
                        assert_eq!(by_hand, crate_words(&text), "{text}");
                    }
                    if is_everyday(&text) {
                        let by_hand = sentence_pieces_by_hand(&text);
                        assert_eq!(by_hand, crate_sentences(&text), "{text}");
                    }
                }
            }
        }
        assert!(handled > 1_000, "only {handled} corpus texts read");
    }

    #[test]
    fn known_boundaries() {
        let pieces = |text: &str| -> Vec<String> {
            sentence_pieces(text)
                .into_iter()
                .map(|r| text[r].to_string())
                .collect()
        };
        assert_eq!(pieces("Done. Next? Yes!"), ["Done. ", "Next? ", "Yes!"]);
        assert_eq!(
            pieces("e.g. this one. U.S. Army"),
            ["e.g. this one. ", "U.S. ", "Army"]
        );
        assert_eq!(
            pieces("Цена 3.50 руб. Спасибо"),
            ["Цена 3.50 руб. ", "Спасибо"]
        );
        let words = |text: &str| -> Vec<String> {
            super::words(text)
                .into_iter()
                .map(|r| text[r].to_string())
                .collect()
        };
        assert_eq!(
            words("don't 3,50 e-mail a.b"),
            ["don't", "3,50", "e", "mail", "a.b"]
        );
    }
}
