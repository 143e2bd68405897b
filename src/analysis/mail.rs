//! Quoted e-mail trails and signatures: text in a message that is not the writer's new words.
//!
//! Length, jargon and tone rules skip these regions; data found in them (an order number in a
//! signature, a tracking number in a quoted earlier message) still counts as given.

use std::ops::Range;
use std::sync::OnceLock;

use regex::RegexSet;
use serde::Deserialize;

use crate::data;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct MailFile {
    trail_start: Vec<String>,
    header: Vec<String>,
    signature_delimiter: Vec<String>,
    sign_off: Vec<String>,
    device_signature: Vec<String>,
}

struct MailPatterns {
    trail_start: LazySet,
    header: LazySet,
    signature_delimiter: LazySet,
    sign_off: LazySet,
    device_signature: LazySet,
}

/// A set of patterns compiled on first use: most messages have no quoted trail, and a one-shot
/// `replylint check` should not pay for compiling what it never runs.
struct LazySet {
    patterns: Vec<String>,
    set: OnceLock<RegexSet>,
    /// When every pattern is anchored at the start and opens with a letter (`^sent from`):
    /// those letters, so that a line starting otherwise is not lower-cased and matched.
    first_letters: Option<Vec<char>>,
}

impl LazySet {
    fn new(patterns: Vec<String>) -> LazySet {
        LazySet {
            first_letters: first_letters(&patterns),
            patterns,
            set: OnceLock::new(),
        }
    }

    /// Whether a line (as written) can match at all, by its first letter.
    fn may_match(&self, line: &str) -> bool {
        match &self.first_letters {
            Some(letters) => line
                .chars()
                .next()
                .is_some_and(|c| c.to_lowercase().any(|lower| letters.contains(&lower))),
            None => true,
        }
    }

    fn is_match(&self, text: &str) -> bool {
        self.set
            .get_or_init(|| {
                RegexSet::new(&self.patterns).unwrap_or_else(|err| panic!("rules/mail.toml: {err}"))
            })
            .is_match(text)
    }
}

/// The letter every pattern opens with after `^`, when each opens so: a letter not followed by
/// a quantifier that could make it optional.
fn first_letters(patterns: &[String]) -> Option<Vec<char>> {
    patterns
        .iter()
        .map(|pattern| {
            let mut chars = pattern.strip_prefix('^')?.chars();
            let first = chars.next().filter(|c| c.is_alphabetic())?;
            let optional = chars.next().is_some_and(|c| matches!(c, '?' | '*' | '{'));
            (!optional).then_some(first)
        })
        .collect()
}

fn patterns() -> &'static MailPatterns {
    static PATTERNS: OnceLock<MailPatterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let file: MailFile = data::embedded_toml("mail.toml");
        MailPatterns {
            trail_start: LazySet::new(file.trail_start),
            header: LazySet::new(file.header),
            signature_delimiter: LazySet::new(file.signature_delimiter),
            sign_off: LazySet::new(file.sign_off),
            device_signature: LazySet::new(file.device_signature),
        }
    })
}

/// The shapes that `mail.toml` patterns can match at all, checked before any pattern runs:
/// a trail starts on a line that ends with ':' or '>' or starts with '-' or '_'; a header
/// line has a ':' and a space after it ([`may_be_header`]); a signature delimiter starts
/// with '--' or '—'.
/// `first` and `last` are the first and last lines of the candidate (the same line, or a line
/// and the next one it wraps into); lower-casing keeps these marks, so the lines as written do.
fn may_start_trail(first: &str, last: &str) -> bool {
    last.ends_with([':', '>']) || first.starts_with(['-', '_'])
}

/// A header line has a ':' followed by a space ("From: ..."); a clock time ("at 09:15") has
/// not, and is not lower-cased for nothing.
fn may_be_header(line: &str) -> bool {
    line.match_indices(':')
        .any(|(at, _)| line[at + 1..].starts_with(char::is_whitespace))
}

/// Where a message's quoted trail and signature are, as byte ranges of the original text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailRegions {
    /// Quoted earlier messages: "> " lines and everything after an attribution line.
    pub quoted: Vec<Range<usize>>,
    /// The writer's signature, sign-off line included.
    pub signature: Option<Range<usize>>,
}

impl MailRegions {
    pub fn is_quoted(&self, offset: usize) -> bool {
        self.quoted.iter().any(|r| r.contains(&offset))
    }

    pub fn is_signature(&self, offset: usize) -> bool {
        self.signature.as_ref().is_some_and(|r| r.contains(&offset))
    }

    /// True when the byte at `offset` is not the writer's own new text.
    pub fn is_excluded(&self, offset: usize) -> bool {
        self.is_quoted(offset) || self.is_signature(offset)
    }
}

/// Marker lines are short; long lines are the writer's text and are not matched at all.
const MAX_MARKER_LINE: usize = 300;

/// "Sent from my iPhone", «Отправлено с iPhone»: a device line is short.
const MAX_DEVICE_LINE: usize = 80;

struct Line<'a> {
    /// Trimmed, as written.
    text: &'a str,
    /// Trimmed and lower-cased, on first use: the patterns are written in lower case,
    /// which spares compiling Unicode case folding into them, and most lines never get as
    /// far as a pattern.
    lower: std::cell::OnceCell<String>,
    range: Range<usize>,
}

impl Line<'_> {
    fn lower(&self) -> &str {
        self.lower.get_or_init(|| {
            if self.text.len() <= MAX_MARKER_LINE {
                super::lowercase(self.text)
            } else {
                String::new()
            }
        })
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let end = start + piece.len();
        let text = piece.trim();
        out.push(Line {
            text,
            lower: std::cell::OnceCell::new(),
            range: start..end,
        });
        start = end;
    }
    out
}

/// Finds the quoted trail and the signature of one message.
pub fn find_regions(text: &str) -> MailRegions {
    let patterns = patterns();
    if memchr::memchr(b'\n', text.as_bytes()).is_none() && !one_line_may_mark(text, patterns) {
        // Most chat messages: one line that has none of the shapes a marker needs.
        return MailRegions::default();
    }
    regions_by_lines(text, patterns)
}

/// [`find_regions`], line by line.
fn regions_by_lines(text: &str, patterns: &MailPatterns) -> MailRegions {
    let lines = lines(text);
    let mut regions = MailRegions::default();

    // The trail: the first attribution line, a pair of header lines, or a line that joins
    // with the next into an attribution (clients wrap long "On ... wrote:" lines).
    let mut trail_line = None;
    for (i, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            continue;
        }
        if line.text.len() > MAX_MARKER_LINE {
            continue;
        }
        // The shape tests read the line as written: lower-casing keeps ':', '>', '-', '_'.
        let joined_with_next = lines
            .get(i + 1)
            .filter(|next| {
                // A line too long to be a marker is not lower-cased: the join ends with a space.
                let last = if next.text.len() <= MAX_MARKER_LINE {
                    next.text
                } else {
                    ""
                };
                line.text.len() > 10 && may_start_trail(line.text, last)
            })
            .map(|next| format!("{} {}", line.lower(), next.lower()));
        let starts_trail = (may_start_trail(line.text, line.text)
            && patterns.trail_start.is_match(line.lower()))
            || joined_with_next
                .as_deref()
                .is_some_and(|j| patterns.trail_start.is_match(j))
            || (lines.get(i + 1).is_some_and(|n| may_be_header(n.text))
                && may_be_header(line.text)
                && patterns.header.is_match(line.lower())
                && patterns.header.is_match(lines[i + 1].lower()));
        if starts_trail {
            trail_line = Some(i);
            break;
        }
    }
    let own_end_line = trail_line.unwrap_or(lines.len());
    if let Some(i) = trail_line {
        regions.quoted.push(lines[i].range.start..text.len());
    }
    // "> " lines above the trail (interleaved replies).
    for line in &lines[..own_end_line] {
        if line.text.starts_with('>') {
            push_merged(&mut regions.quoted, line.range.clone());
        }
    }

    regions.signature = find_signature(&lines[..own_end_line], patterns);
    regions
}

/// Whether a message of one line can hold a quoted trail or a signature at all: the shapes
/// that the tests below look for before matching any pattern.
fn one_line_may_mark(text: &str, patterns: &MailPatterns) -> bool {
    let line = text.trim();
    may_start_trail(line, line)
        || line.starts_with('>')
        || line.starts_with("--")
        || line.starts_with('—')
        || line.len() <= MAX_DEVICE_LINE && patterns.device_signature.may_match(line)
}

fn push_merged(ranges: &mut Vec<Range<usize>>, range: Range<usize>) {
    match ranges.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ => ranges.push(range),
    }
}

/// The signature: from a "-- " delimiter, a device line, or a sign-off followed only by a few
/// short lines (a name, a title, a company), to the end of the writer's text.
fn find_signature(lines: &[Line<'_>], patterns: &MailPatterns) -> Option<Range<usize>> {
    let end = lines.last()?.range.end;
    for line in lines.iter().filter(|l| l.text.len() <= MAX_MARKER_LINE) {
        let delimiter = line.text.starts_with("--") || line.text.starts_with('—');
        if delimiter && patterns.signature_delimiter.is_match(line.lower())
            || line.text.len() <= MAX_DEVICE_LINE
                && patterns.device_signature.may_match(line.text)
                && patterns.device_signature.is_match(line.lower())
        {
            return Some(line.range.start..end);
        }
    }
    // A sign-off counts only near the end and never as the first line: "Thanks! Your refund
    // was issued." opens a reply, it does not close one.
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.is_empty())
        .collect();
    for (position, &i) in content.iter().enumerate().skip(1) {
        let line = &lines[i];
        if line.text.chars().count() > 45 || !patterns.sign_off.is_match(line.lower()) {
            continue;
        }
        let after = &content[position + 1..];
        let looks_like_name_block = after.len() <= 4
            && after.iter().all(|&j| {
                let t = lines[j].text;
                t.chars().count() <= 60 && !t.ends_with('?') && t.split_whitespace().count() <= 7
            });
        if looks_like_name_block {
            return Some(line.range.start..end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_text(text: &str) -> String {
        let regions = find_regions(text);
        text.char_indices()
            .filter(|(i, _)| !regions.is_excluded(*i))
            .map(|(_, c)| c)
            .collect::<String>()
            .trim()
            .to_string()
    }

    #[test]
    fn english_trail_and_signature() {
        let text = "Thanks, that worked.\n\nBest regards,\nTom Keller\nAcme Ltd\n\nOn Mon, 3 Mar 2025 at 10:14, Anna <anna@example.com> wrote:\n> Please try again.\n";
        assert_eq!(own_text(text), "Thanks, that worked.");
    }

    #[test]
    fn russian_gmail_attribution() {
        let text = "Не помогло.\n\nпн, 3 мар. 2025 г. в 10:14, Анна <anna@example.ru>:\n> Попробуйте ещё раз.";
        assert_eq!(own_text(text), "Не помогло.");
        let text = "Заказ 48213.\n\nИван Петров написал(а):\n> текст";
        assert_eq!(own_text(text), "Заказ 48213.");
    }

    #[test]
    fn bulgarian_trail_and_signature() {
        let text = "Благодаря за отговора.\n\nПоздрави,\nМария\n\nНа пн, 3.03.2025 г. в 10:14 Анна <anna@example.bg> написа:\n> Здравейте";
        assert_eq!(own_text(text), "Благодаря за отговора.");
    }

    #[test]
    fn outlook_headers_and_original_message() {
        let text = "See below.\n-----Original Message-----\nFrom: a@b.c\nSent: Monday";
        assert_eq!(own_text(text), "See below.");
        let text = "См. ниже.\nОт: Иван\nОтправлено: 3 марта\nТема: заказ";
        assert_eq!(own_text(text), "См. ниже.");
    }

    #[test]
    fn opening_thanks_is_not_a_signature() {
        let text = "Thanks!\nYour refund was issued today and should arrive within 5 days.";
        assert_eq!(own_text(text), text);
        let text = "Спасибо, что написали.\nЗаказ уже в пути.";
        assert_eq!(own_text(text), text);
    }

    #[test]
    fn first_letters_only_when_every_pattern_opens_with_one() {
        let letters = |patterns: &[&str]| {
            first_letters(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            letters(&["^sent from", "^отправлено"]),
            Some(vec!['s', 'о'])
        );
        assert_eq!(letters(&["^sent", "^(a|b)"]), None);
        assert_eq!(letters(&["^s?ent"]), None);
        assert_eq!(letters(&["sent"]), None);
        let devices = &patterns().device_signature;
        assert!(devices.may_match("Sent from my iPhone"));
        assert!(devices.may_match("Отправлено с iPhone"));
        assert!(!devices.may_match("Спасибо, жду ответа"));
    }

    proptest::proptest! {
        /// A line that the shape test passes over holds nothing the full reading would find.
        #[test]
        fn one_line_shortcut_finds_what_reading_lines_finds(
            text in "(  |>|--|—|-{5,}|_{20,}|On Mon|wrote:|написал\\(а\\):|Sent from my iPhone|Отправлено с iPhone|Best regards,|спасибо|[a-zа-я ,.:]{1,12}){1,4}"
        ) {
            proptest::prop_assert_eq!(find_regions(&text), regions_by_lines(&text, patterns()));
        }
    }

    #[test]
    fn interleaved_quotes() {
        let text = "> where is my order?\nIt ships today.";
        assert_eq!(own_text(text), "It ships today.");
    }
}
