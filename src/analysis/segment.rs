//! Paragraphs and sentences of a plain text.
//!
//! Unicode's sentence rules (UAX #29, via unicode-segmentation) do the heavy lifting:
//! decimals, URLs, e-mails, closing quotes and emoji. On top of them this module adds what
//! support text needs: a line break ends a sentence in chat (but not a hard-wrapped e-mail
//! line), "ok. where is it" is two sentences even without a capital, and a full stop after
//! an abbreviation ("т.е.", "ул.", "e.g.") or an initial does not end one.

use rustc_hash::FxHashSet;
use std::ops::Range;

/// Splits a plain text into paragraphs (byte ranges), at blank lines.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    // One line (most chat messages, whose plain text ends in a paragraph break): one
    // paragraph, its trimmed self, unless blank.
    if memchr::memchr(b'\n', text.trim_end().as_bytes()).is_none() {
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        let mut out = Vec::with_capacity(1);
        if start < end {
            out.push(start..end);
        }
        return out;
    }
    paragraphs_by_lines(text)
}

/// [`paragraphs`], line by line.
fn paragraphs_by_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    let mut last_content_end = 0;
    for line in text.split_inclusive('\n') {
        let is_blank = line.trim().is_empty();
        match (is_blank, start) {
            (true, Some(s)) => {
                out.push(s..last_content_end);
                start = None;
            }
            (false, None) => start = Some(offset + (line.len() - line.trim_start().len())),
            _ => {}
        }
        if !is_blank {
            last_content_end = offset + line.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(s..last_content_end);
    }
    out
}

/// Splits one paragraph of `text` into sentences (trimmed byte ranges of `text`), appended
/// to `out`. `everyday` says the text has only the characters [`super::boundaries`] handles
/// by hand.
pub fn sentences(
    text: &str,
    paragraph: Range<usize>,
    abbreviations: &Abbreviations,
    everyday: bool,
    out: &mut Vec<Range<usize>>,
) {
    // Most paragraphs are one line: one block, and no list of blocks to build.
    if memchr::memchr(b'\n', &text.as_bytes()[paragraph.clone()]).is_none() {
        block_sentences(text, paragraph, abbreviations, everyday, out);
        return;
    }
    for block in line_blocks(text, paragraph) {
        block_sentences(text, block, abbreviations, everyday, out);
    }
}

/// The sentences of one block of lines (see [`line_blocks`]), appended to `out`.
fn block_sentences(
    text: &str,
    block: Range<usize>,
    abbreviations: &Abbreviations,
    everyday: bool,
    out: &mut Vec<Range<usize>>,
) {
    let slice = &text[block.clone()];
    let one_sentence = if everyday {
        // `is_one_sentence` by vectorised searches: in everyday text the only bytes from D4
        // up lead the three-byte quotes, dashes, '…' and '№' (E2).
        let body = trim_closing(slice).as_bytes();
        memchr::memchr3(b'.', b'!', b'?', body).is_none()
            && memchr::memchr3(b'\n', b'\r', 0xE2, body).is_none()
    } else {
        is_one_sentence(slice)
    };
    if one_sentence {
        out.extend(trim(text, block));
        return;
    }
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let uax29_pieces = if everyday {
        super::boundaries::sentence_pieces_of_everyday(slice)
    } else {
        super::boundaries::sentence_pieces(slice)
    };
    for piece in uax29_pieces {
        let piece = block.start + piece.start..block.start + piece.end;
        // Everyday text has no emoji.
        if !everyday && may_hold_emoji(&text[piece.clone()]) {
            for part in split_after_emoji(text, piece) {
                split_lowercase_starts(text, part, abbreviations, &mut pieces);
            }
        } else {
            split_lowercase_starts(text, piece, abbreviations, &mut pieces);
        }
    }
    // Re-join pieces that UAX #29 split after an abbreviation or an initial, or at a line
    // break inside the block (the block is one wrapped run of text).
    let mut merged: Option<Range<usize>> = None;
    for piece in pieces {
        match &mut merged {
            Some(last)
                if ends_with_abbreviation(&text[last.clone()], abbreviations)
                    || ends_at_wrap(&text[last.clone()]) =>
            {
                last.end = piece.end
            }
            _ => {
                if let Some(done) = merged.replace(piece) {
                    out.extend(trim(text, done));
                }
            }
        }
    }
    if let Some(done) = merged {
        out.extend(trim(text, done));
    }
}

/// Whether a block is one sentence for certain: no mark that can end a sentence before its
/// last word, one line, and only Latin and Cyrillic script (which other scripts' sentence
/// marks and emoji are not). Most chat messages are, and they skip the UAX #29 segmenter, the
/// dearest step of the analysis.
fn is_one_sentence(block: &str) -> bool {
    let body = trim_closing(block);
    // On bytes: below U+0500 every character is ASCII or two bytes led by C2..D3.
    let bytes = body.as_bytes();
    bytes.iter().enumerate().all(|(i, &byte)| match byte {
        b'.' | b'!' | b'?' | b'\n' | b'\r' => false,
        0xD4.. => false,
        0x85 => i == 0 || bytes[i - 1] != 0xC2, // U+0085, NEXT LINE
        0xBE => i == 0 || bytes[i - 1] != 0xCD, // U+037E, GREEK QUESTION MARK
        _ => true,
    })
}

/// A block without the closing marks and spaces at its end.
fn trim_closing(block: &str) -> &str {
    block.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | '!' | '?' | '"' | '\'' | ')' | '»' | '”' | '…')
    })
}

/// Lines of a paragraph grouped into blocks that read as one run of text: a line continues the
/// previous one only when the previous was hard-wrapped (long, no closing punctuation) and
/// this one starts in lower case.
fn line_blocks(text: &str, paragraph: Range<usize>) -> Vec<Range<usize>> {
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut offset = paragraph.start;
    let mut previous: Option<&str> = None;
    for line in text[paragraph.clone()].split_inclusive('\n') {
        let range = offset..offset + line.len();
        offset += line.len();
        let content = line.trim();
        if content.is_empty() {
            continue;
        }
        let continues = previous.is_some_and(|prev| {
            prev.chars().count() >= 50
                && !prev.ends_with(['.', '!', '?', ':', ';', '…'])
                && content.chars().next().is_some_and(char::is_lowercase)
        });
        match blocks.last_mut() {
            Some(last) if continues => last.end = range.end,
            _ => blocks.push(range),
        }
        previous = Some(content);
    }
    blocks
}

/// An emoji followed by a capital ends a chat sentence: "listen offline 🎧 More about...".
fn split_after_emoji(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let slice = &text[range.clone()];
    let mut parts = Vec::new();
    let mut start = range.start;
    for (i, c) in slice.char_indices() {
        if !is_emoji(c) {
            continue;
        }
        let rest = &slice[i + c.len_utf8()..];
        let after = rest
            .trim_start_matches(|ch: char| is_emoji(ch) || ch == '\u{fe0f}' || ch == '\u{200d}');
        let next_is_capital = after.starts_with(char::is_whitespace)
            && after
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        let cut = range.start + slice.len() - after.len();
        if next_is_capital && cut > start {
            parts.push(start..cut);
            start = cut;
        }
    }
    parts.push(start..range.end);
    parts
}

/// Whether a text may hold an [`is_emoji`] pictograph: they are all encoded from byte E2 up
/// (the Cyrillic and Latin letters below it).
fn may_hold_emoji(text: &str) -> bool {
    text.bytes().any(|b| b >= 0xE2)
}

/// Pictographs that chat writers put at the end of a sentence.
fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF)
}

/// UAX #29 keeps "fine. where is it" together because of the lower-case start; chat writers
/// skip capitals, so split there unless the full stop follows an abbreviation.
fn split_lowercase_starts(
    text: &str,
    range: Range<usize>,
    abbreviations: &Abbreviations,
    out: &mut Vec<Range<usize>>,
) {
    let slice = &text[range.clone()];
    let mut start = range.start;
    let bytes = slice.as_bytes();
    // Every ". " in turn: a full stop found by a vectorised search, then the space after it.
    let full_stops_before_a_space =
        memchr::memchr_iter(b'.', bytes).filter(|&i| bytes.get(i + 1) == Some(&b' '));
    for i in full_stops_before_a_space {
        let after = slice[i + 2..].trim_start();
        let Some(next) = after.chars().next() else {
            continue;
        };
        if !next.is_lowercase() {
            continue;
        }
        let before = &text[start..range.start + i + 1];
        if ends_with_abbreviation(before, abbreviations) || i == 0 || bytes[i - 1] == b'.' {
            continue;
        }
        out.push(start..range.start + i + 1);
        start = range.start + i + 2;
    }
    out.push(start..range.end);
}

/// True when a piece ends at a line break with no closing punctuation: a wrapped line.
fn ends_at_wrap(piece: &str) -> bool {
    piece.ends_with('\n') && !piece.trim_end().ends_with(['.', '!', '?', '…', ':', ';'])
}

/// The abbreviations of a language, without their final full stop, in lower case.
pub struct Abbreviations {
    set: FxHashSet<String>,
    /// Characters of the longest one: a longer word without an inner full stop is none.
    longest: usize,
}

impl Abbreviations {
    pub fn new(set: FxHashSet<String>) -> Abbreviations {
        let longest = set.iter().map(|a| a.chars().count()).max().unwrap_or(0);
        Abbreviations { set, longest }
    }

    fn contains(&self, lower: &str) -> bool {
        self.set.contains(lower)
    }
}

/// True when a piece ends in "<abbreviation>." or "<initial>." (a single letter).
fn ends_with_abbreviation(piece: &str, abbreviations: &Abbreviations) -> bool {
    let trimmed = piece.trim_end();
    let Some(without_dot) = trimmed.strip_suffix('.') else {
        return false;
    };
    // The last word, read backwards. Lower case has at least as many characters and adds no
    // full stop, so once more characters than the longest abbreviation follow the word's last
    // inner full stop (or its start), it is neither an abbreviation, nor ends in one, nor an
    // initial: most words end here.
    let longest = abbreviations.longest.max(1);
    let mut start = 0;
    let mut after_last_stop = 0;
    let mut seen_stop = false;
    for (i, c) in without_dot.char_indices().rev() {
        if c.is_whitespace() || c == '(' || c == '«' || c == '"' {
            start = i + c.len_utf8();
            break;
        }
        seen_stop |= c == '.';
        if !seen_stop {
            after_last_stop += 1;
            if after_last_stop > longest {
                return false;
            }
        }
    }
    let last = &without_dot[start..];
    if last.is_empty() {
        return false;
    }
    let lower = lowercase_inline(last);
    let letters = lower.chars().filter(|&c| super::is_letter(c)).count();
    // A single capital letter is an initial ("А. С. Пушкин", "J. Smith").
    (letters == 1 && lower.chars().count() == 1 && last.chars().all(super::is_upper))
        || abbreviations.contains(&lower)
        || lower
            .rsplit(['.'])
            .next()
            .is_some_and(|tail| lower.contains('.') && abbreviations.contains(tail))
}

/// [`super::lowercase`] of a short word, without a heap allocation for the usual ASCII and
/// Cyrillic letters.
fn lowercase_inline(word: &str) -> compact_str::CompactString {
    let mut lower = compact_str::CompactString::default();
    for c in word.chars() {
        match c {
            '\0'..='\u{7F}' => lower.push(c.to_ascii_lowercase()),
            'Ѐ'..='џ' => lower.push(super::cyrillic_lower(c)),
            _ => return super::lowercase(word).into(),
        }
    }
    lower
}

fn trim(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, abbreviations: &[&str]) -> Vec<String> {
        let abbreviations =
            Abbreviations::new(abbreviations.iter().map(|s| s.to_string()).collect());
        let everyday = super::super::boundaries::words_and_script(text).1;
        paragraphs(text)
            .into_iter()
            .flat_map(|p| {
                let mut out = Vec::new();
                sentences(text, p, &abbreviations, everyday, &mut out);
                out
            })
            .map(|r| text[r].to_string())
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(10_000))]
        /// Told that a text is everyday, splitting takes its shortcuts and finds the same
        /// sentences as without them.
        #[test]
        fn everyday_shortcuts_split_the_same(
            text in "([a-zA-Zа-яА-Я0-9]{1,6}|[ .!?,:;\n\r\"'()«»–—…№]){0,30}"
        ) {
            let abbreviations = Abbreviations::new(["т.е", "ул", "e.g"].iter().map(|s| s.to_string()).collect());
            let split = |everyday: bool| {
                paragraphs(&text)
                    .into_iter()
                    .flat_map(|p| {
                        let mut out = Vec::new();
                        sentences(&text, p, &abbreviations, everyday, &mut out);
                        out
                    })
                    .collect::<Vec<_>>()
            };
            proptest::prop_assume!(super::super::boundaries::words_and_script(&text).1);
            proptest::prop_assert_eq!(split(true), split(false));
        }
    }

    #[test]
    fn survives_abbreviations_and_decimals() {
        let s = split(
            "Доставка 2.5 дня, т.е. до пятницы. Адрес: г. Москва, ул. Ленина, д. 5. Спасибо!",
            &["т.е", "г", "ул", "д"],
        );
        assert_eq!(
            s,
            vec![
                "Доставка 2.5 дня, т.е. до пятницы.",
                "Адрес: г. Москва, ул. Ленина, д. 5.",
                "Спасибо!"
            ]
        );
        let s = split("Use a wallet, e.g. PayPal. It works.", &["e.g"]);
        assert_eq!(s, vec!["Use a wallet, e.g. PayPal.", "It works."]);
    }

    #[test]
    fn urls_and_emails_stay_whole() {
        let s = split(
            "See https://help.acme.com/a.html or mail a.b@acme.com 🙂 Thanks!",
            &[],
        );
        assert_eq!(
            s,
            vec![
                "See https://help.acme.com/a.html or mail a.b@acme.com 🙂",
                "Thanks!"
            ]
        );
    }

    #[test]
    fn emoji_ends_a_chat_sentence() {
        let s = split(
            "you can still download podcasts 🎧 More about it: https://x.io",
            &[],
        );
        assert_eq!(
            s,
            vec![
                "you can still download podcasts 🎧",
                "More about it: https://x.io"
            ]
        );
    }

    #[test]
    fn chat_without_capitals() {
        let s = split("ok. where is my order\nit was due monday", &[]);
        assert_eq!(s, vec!["ok.", "where is my order", "it was due monday"]);
    }

    #[test]
    fn hard_wrapped_email_lines_join() {
        let text = "I ordered the blue kettle two weeks ago and it still has not\narrived at my address, could you check?";
        assert_eq!(split(text, &[]).len(), 1, "{:?}", split(text, &[]));
    }

    /// [`ends_with_abbreviation`] the plain way: the last word split off, lower-cased whole.
    fn ends_with_abbreviation_plainly(piece: &str, abbreviations: &Abbreviations) -> bool {
        let Some(without_dot) = piece.trim_end().strip_suffix('.') else {
            return false;
        };
        let last = without_dot
            .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '«' || c == '"')
            .next()
            .unwrap_or("");
        if last.is_empty() {
            return false;
        }
        let lower = last.to_lowercase();
        let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
        (letters == 1 && lower.chars().count() == 1 && last.chars().all(char::is_uppercase))
            || abbreviations.contains(&lower)
            || lower
                .rsplit(['.'])
                .next()
                .is_some_and(|tail| lower.contains('.') && abbreviations.contains(tail))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]
        #[test]
        fn abbreviations_found_as_read_plainly(
            piece in "[a-zA-Zа-яА-Я .(«\"]{0,6}(т|т\\.е|ул|УЛ|e\\.g|г|А|J|пр|просп|xx\\.ул|[а-я]{1,7})\\.[ ]{0,2}"
        ) {
            let abbreviations = Abbreviations::new(
                ["т.е", "ул", "e.g", "г", "пр", "просп"].iter().map(|s| s.to_string()).collect(),
            );
            proptest::prop_assert_eq!(
                ends_with_abbreviation(&piece, &abbreviations),
                ends_with_abbreviation_plainly(&piece, &abbreviations)
            );
        }

        /// The one-line shortcut finds the paragraph that reading line by line finds.
        #[test]
        fn one_line_paragraphs_as_read_line_by_line(text in "[ \t]{0,2}[a-zа-я .]{0,8}[ \t\n\r]{0,4}") {
            let by_lines = paragraphs_by_lines(&text);
            proptest::prop_assert_eq!(paragraphs(&text), by_lines);
        }
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let text = "one\ntwo\n\n\nthree";
        let p: Vec<_> = paragraphs(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(p, vec!["one\ntwo", "three"]);
    }

    #[test]
    fn one_sentence_test_reads_bytes_as_chars() {
        let by_chars = |text: &str| {
            let body = text.trim_end_matches(|c: char| {
                c.is_whitespace()
                    || matches!(c, '.' | '!' | '?' | '"' | '\'' | ')' | '»' | '”' | '…')
            });
            body.chars().all(|c| {
                (c as u32) < 0x500
                    && !matches!(c, '.' | '!' | '?' | '\n' | '\r' | '\u{85}' | '\u{37E}')
            })
        };
        for c in ('\0'..='\u{3000}').chain(['🎧', '😀']) {
            for text in [format!("{c}"), format!("да {c} ok"), format!("х{c}ѕ")] {
                assert_eq!(is_one_sentence(&text), by_chars(&text), "{c:?} in {text:?}");
            }
        }
    }
}
