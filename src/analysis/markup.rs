//! Markdown to plain text, with a map from every plain-text offset back to the original.
//!
//! Rules read the plain text (no `**`, no link syntax), but every span they report must point
//! into the text the agent wrote, so each run of plain text remembers where it came from.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A run of plain text and the original bytes it came from.
#[derive(Debug, Clone)]
struct Segment {
    plain: usize,
    original: Range<usize>,
    /// True when the plain bytes equal the original bytes, so offsets inside map one to one;
    /// false for entities, escapes and inserted breaks, which map to their whole source.
    exact: bool,
    len: usize,
}

/// A link written in Markdown (`[text](url)` or `<url>`): its target and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownLink {
    pub url: String,
    pub original: Range<usize>,
}

/// Plain text of a message and the offset map back to its original text.
#[derive(Debug, Clone, Default)]
pub struct PlainText {
    pub text: String,
    segments: Vec<Segment>,
    original_len: usize,
    pub links: Vec<MarkdownLink>,
    /// The plain text is the original, with at most a paragraph break after it: offsets map
    /// to themselves.
    identity: bool,
}

impl PlainText {
    /// Renders Markdown (CommonMark plus tables and strikethrough) to plain text.
    pub fn from_markdown(original: &str) -> PlainText {
        if is_plain_line(original) {
            // What the parser would make of it, a paragraph, without running the parser:
            // most chat messages are one such line.
            let mut plain = PlainText {
                text: String::with_capacity(original.len() + 2),
                segments: Vec::with_capacity(2),
                original_len: original.len(),
                links: Vec::new(),
                identity: true,
            };
            plain.push_text(original, original, 0..original.len(), false);
            plain.push_break("\n\n", original.len()..original.len());
            return plain;
        }
        PlainText::parse_markdown(original)
    }

    fn parse_markdown(original: &str) -> PlainText {
        let mut plain = PlainText {
            text: String::with_capacity(original.len()),
            segments: Vec::new(),
            original_len: original.len(),
            links: Vec::new(),
            identity: false,
        };
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let mut link_stack: Vec<(String, usize)> = Vec::new();
        for (event, range) in Parser::new_ext(original, options).into_offset_iter() {
            match event {
                Event::Text(text) => plain.push_text(original, &text, range, false),
                Event::Code(text) => plain.push_text(original, &text, range, true),
                Event::SoftBreak | Event::HardBreak => plain.push_break("\n", range),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    link_stack.push((dest_url.to_string(), range.start));
                }
                Event::End(TagEnd::Link) => {
                    if let Some((url, start)) = link_stack.pop() {
                        plain.links.push(MarkdownLink {
                            url,
                            original: start..range.end,
                        });
                    }
                }
                Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableCell) => {
                    plain.push_break("\n", range.end..range.end)
                }
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::CodeBlock
                    | TagEnd::BlockQuote(_)
                    | TagEnd::Table
                    | TagEnd::HtmlBlock,
                ) => plain.push_break("\n\n", range.end..range.end),
                // Inline HTML such as `<br>` is markup; a block of it is text a help desk
                // stored as HTML, which is still the writer's words.
                Event::Html(html) if html.trim_start().starts_with('<') && html.len() > 80 => {
                    plain.push_text(original, &html, range, false)
                }
                _ => {}
            }
        }
        plain
    }

    /// Plain text equal to the original (no Markdown processing).
    pub fn verbatim(original: &str) -> PlainText {
        PlainText {
            text: original.to_string(),
            segments: vec![Segment {
                plain: 0,
                original: 0..original.len(),
                exact: true,
                len: original.len(),
            }],
            original_len: original.len(),
            links: Vec::new(),
            identity: true,
        }
    }

    /// `inside` says the text stands verbatim inside its source with markup around it (inline
    /// code in backticks); otherwise a text that differs from its source (an entity, an
    /// escape) maps to the whole source.
    fn push_text(&mut self, original: &str, text: &str, range: Range<usize>, inside: bool) {
        if text.is_empty() {
            return;
        }
        let source = original.get(range.clone()).unwrap_or("");
        let exact_start = if source == text {
            Some(range.start)
        } else if inside {
            source.find(text).map(|pos| range.start + pos)
        } else {
            None
        };
        let (original_range, exact) = match exact_start {
            Some(start) => (start..start + text.len(), true),
            None => (range, false),
        };
        self.segments.push(Segment {
            plain: self.text.len(),
            original: original_range,
            exact,
            len: text.len(),
        });
        self.text.push_str(text);
    }

    fn push_break(&mut self, text: &str, range: Range<usize>) {
        if self.text.is_empty()
            || self.text.ends_with("\n\n")
            || (text == "\n" && self.text.ends_with('\n'))
        {
            return;
        }
        let text = if self.text.ends_with('\n') {
            "\n"
        } else {
            text
        };
        self.segments.push(Segment {
            plain: self.text.len(),
            original: range,
            exact: false,
            len: text.len(),
        });
        self.text.push_str(text);
    }

    /// Whether every plain-text offset maps to itself (a message Markdown leaves as it is).
    pub fn is_identity(&self) -> bool {
        self.identity
    }

    /// The original byte range a plain-text range came from. Always a valid range on char
    /// boundaries of the original text.
    pub fn to_original(&self, plain: Range<usize>) -> Range<usize> {
        if self.identity {
            let start = plain.start.min(self.original_len);
            return start..plain.end.min(self.original_len).max(start);
        }
        let start = self.map_offset(plain.start, false);
        let end = self.map_offset(plain.end, true).max(start);
        start..end
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> usize {
        // The segment holding the offset; an end offset belongs to the segment it closes.
        let index = self.segments.partition_point(|s| {
            if is_end {
                s.plain < offset
            } else {
                s.plain <= offset
            }
        });
        let Some(segment) = index.checked_sub(1).and_then(|i| self.segments.get(i)) else {
            return 0;
        };
        let inside = offset.saturating_sub(segment.plain).min(segment.len);
        let mapped = if segment.exact {
            segment.original.start + inside
        } else if is_end || inside > 0 {
            segment.original.end
        } else {
            segment.original.start
        };
        mapped.min(self.original_len)
    }
}

/// One line that Markdown leaves as it is: no character that can start markup, no line
/// break, no leading character that opens a block (list, heading, quote, indented code).
fn is_plain_line(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let block_opener = first.is_whitespace()
        || first.is_ascii_digit()
        || matches!(first, '-' | '+' | '=' | '#' | '>' | '|');
    // A fold without an early exit over a table compiles to a tight loop; this runs on
    // every message.
    !block_opener
        && !text.ends_with(char::is_whitespace)
        && !text
            .bytes()
            .fold(false, |markup, b| markup | MARKUP_BYTES[usize::from(b)])
}

/// The bytes that can start Markdown markup or break a line.
static MARKUP_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let markup = b"\n\r*_`[]<&\\~";
    while i < markup.len() {
        table[markup[i] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_lines_skip_the_parser_with_the_same_result(
            text in "[a-zA-Zа-яА-Я0-9 ,.?!:;'\"()@%/#|>$=+*_-]{1,60}"
        ) {
            if is_plain_line(&text) {
                let fast = PlainText::from_markdown(&text);
                let parsed = PlainText::parse_markdown(&text);
                proptest::prop_assert_eq!(&fast.text, &parsed.text);
                proptest::prop_assert_eq!(format!("{:?}", fast.segments), format!("{:?}", parsed.segments));
            }
        }
    }

    fn original_of(original: &str, needle: &str) -> String {
        let plain = PlainText::from_markdown(original);
        let start = plain.text.find(needle).expect("needle in plain text");
        let range = plain.to_original(start..start + needle.len());
        original[range].to_string()
    }

    #[test]
    fn strips_emphasis_and_maps_back() {
        let original = "Hello **Anna**, your *order* is [here](https://x.io/o/1).";
        let plain = PlainText::from_markdown(original);
        assert_eq!(plain.text.trim_end(), "Hello Anna, your order is here.");
        assert_eq!(original_of(original, "Anna"), "Anna");
        assert_eq!(original_of(original, "order is"), "order* is");
        assert_eq!(plain.links[0].url, "https://x.io/o/1");
    }

    #[test]
    fn keeps_cyrillic_offsets_exact() {
        let original = "Здравствуйте!\n\nВаш заказ **48213** в пути.";
        assert_eq!(original_of(original, "48213"), "48213");
        assert_eq!(original_of(original, "в пути"), "в пути");
    }

    #[test]
    fn entities_map_to_their_source() {
        let original = "Tom &amp; Jerry";
        let plain = PlainText::from_markdown(original);
        assert!(plain.text.contains('&'));
        let pos = plain.text.find('&').unwrap();
        let range = plain.to_original(pos..pos + 1);
        assert_eq!(&original[range], "&amp;");
    }
}
