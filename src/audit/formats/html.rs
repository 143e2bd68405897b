//! HTML bodies as help desks store them, turned into text the linter reads, with a map from
//! every byte of that text back to the HTML so findings point into the body as stored.
//!
//! This is not a browser: tags are dropped, block elements become line breaks (`<p>` and
//! `<div>` a blank line, so paragraphs stay paragraphs), `<br>` a line break, `<li>` a "- "
//! item, `<blockquote>` lines are prefixed with "> " (quoted e-mail trails stay recognisable),
//! `<script>`, `<style>`, `<head>` and comments are skipped, runs of whitespace collapse, and
//! the common entities are decoded. One pass, linear in the size of the body.

use std::ops::Range;

/// Text extracted from HTML, and where each piece of it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlText {
    pub text: String,
    pieces: Vec<Piece>,
}

/// A run of text bytes `text`, produced from the HTML bytes `html`. A verbatim piece is a copy
/// (offsets map one to one); any other (an entity, a collapsed space, an inserted line break)
/// maps as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    text: Range<usize>,
    html: Range<usize>,
    verbatim: bool,
}

/// True when a body needs extraction at all: plain text goes to the linter unchanged.
pub fn looks_like_html(body: &str) -> bool {
    body.contains('<') && body.contains('>') || body.contains('&') && body.contains(';')
}

const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
];
const LINE: &[&str] = &["br", "tr", "li", "hr", "dt", "dd"];
const SKIP: &[&str] = &["script", "style", "head", "title", "template"];

struct Builder<'a> {
    html: &'a str,
    text: String,
    pieces: Vec<Piece>,
    quote_depth: usize,
    /// Pending separator: 0 nothing, 1 a space, 2 a line break, 3 a blank line.
    pending: u8,
    pending_at: usize,
}

impl Builder<'_> {
    fn push(&mut self, s: &str, html: Range<usize>, verbatim: bool) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        self.pieces.push(Piece {
            text: start..self.text.len(),
            html,
            verbatim,
        });
    }

    fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }

    fn want(&mut self, level: u8, at: usize) {
        if level > self.pending {
            self.pending = level;
            self.pending_at = at;
        }
    }

    /// Writes the pending separator, and the quote marker of a new line, before text.
    fn flush(&mut self) {
        let at = self.pending_at;
        if !self.text.is_empty() {
            match self.pending {
                1 if !self.at_line_start() => self.push(" ", at..at, false),
                2 if !self.at_line_start() => self.push("\n", at..at, false),
                3 => {
                    let need = if self.text.ends_with("\n\n") {
                        ""
                    } else if self.text.ends_with('\n') {
                        "\n"
                    } else {
                        "\n\n"
                    };
                    self.push(need, at..at, false);
                }
                _ => {}
            }
        }
        self.pending = 0;
        if self.quote_depth > 0 && self.at_line_start() {
            let marker = "> ".repeat(self.quote_depth);
            self.push(&marker, at..at, false);
        }
    }

    fn text_run(&mut self, start: usize, end: usize) {
        let run = &self.html[start..end];
        let mut i = 0;
        let bytes = run.as_bytes();
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                let ws_start = i;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                self.want(1, start + ws_start);
                continue;
            }
            if b == b'&'
                && let Some((decoded, len)) = decode_entity(&run[i..])
            {
                {
                    self.flush();
                    let mut buf = [0u8; 4];
                    let s: &str = if decoded == '\u{a0}' {
                        " "
                    } else {
                        decoded.encode_utf8(&mut buf)
                    };
                    self.push(s, start + i..start + i + len, false);
                    i += len;
                    continue;
                }
            }
            let word_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'&' {
                i += 1;
            }
            if i == word_start {
                // A lone '&' that is not an entity.
                i += 1;
            }
            self.flush();
            let s = &run[word_start..i];
            self.push(s, start + word_start..start + i, true);
        }
    }
}

/// Extracts the text of an HTML body.
pub fn extract(html: &str) -> HtmlText {
    let mut b = Builder {
        html,
        text: String::with_capacity(html.len()),
        pieces: Vec::new(),
        quote_depth: 0,
        pending: 0,
        pending_at: 0,
    };
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some(tag) = parse_tag(html, i) else {
            i += 1;
            continue;
        };
        b.text_run(text_start, i);
        match tag.kind {
            TagKind::Comment => {}
            TagKind::Element { ref name, closing } => {
                let name = name.as_str();
                if !closing && SKIP.contains(&name) {
                    // Skip to the matching closing tag (case-insensitive search).
                    let close = format!("</{name}");
                    let rest = &html[tag.end..];
                    let skip_to = find_ci(rest, &close).map_or(html.len(), |p| tag.end + p);
                    let after = html[skip_to..]
                        .find('>')
                        .map_or(html.len(), |p| skip_to + p + 1);
                    i = after;
                    text_start = after;
                    continue;
                }
                if name == "blockquote" {
                    b.want(3, i);
                    if closing {
                        b.quote_depth = b.quote_depth.saturating_sub(1);
                    } else {
                        b.quote_depth += 1;
                    }
                } else if BLOCK.contains(&name) {
                    b.want(3, i);
                } else if LINE.contains(&name) {
                    b.want(2, i);
                    if name == "li" && !closing {
                        b.flush();
                        b.push("- ", i..tag.end, false);
                    }
                } else if name == "td" || name == "th" {
                    b.want(1, i);
                }
            }
        }
        i = tag.end;
        text_start = i;
    }
    b.text_run(text_start, html.len());
    HtmlText {
        text: b.text,
        pieces: b.pieces,
    }
}

enum TagKind {
    Comment,
    Element { name: String, closing: bool },
}

struct Tag {
    kind: TagKind,
    end: usize,
}

/// A tag starting at `start` (`<`), or None when the `<` is just text ("a < b").
fn parse_tag(html: &str, start: usize) -> Option<Tag> {
    let rest = &html[start..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        let end = comment
            .find("-->")
            .map_or(html.len(), |p| start + 4 + p + 3);
        return Some(Tag {
            kind: TagKind::Comment,
            end,
        });
    }
    let bytes = rest.as_bytes();
    let mut i = 1;
    let closing = bytes.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    if bytes.get(1) == Some(&b'!') || bytes.get(1) == Some(&b'?') {
        let end = rest.find('>').map_or(html.len(), |p| start + p + 1);
        return Some(Tag {
            kind: TagKind::Comment,
            end,
        });
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_start = i;
    while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
        i += 1;
    }
    let name = rest[name_start..i].to_ascii_lowercase();
    // Find the closing '>' outside quoted attribute values.
    let mut quote = None;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => {
                return Some(Tag {
                    kind: TagKind::Element { name, closing },
                    end: start + i + 1,
                });
            }
            _ => {}
        }
        i += 1;
    }
    Some(Tag {
        kind: TagKind::Element { name, closing },
        end: html.len(),
    })
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// Decodes the entity at the start of `s` ("&amp;", "&#39;", "&#x2014;"): the character and
/// the entity's length in bytes.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "laquo" => '«',
            "raquo" => '»',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "bull" => '•',
            "euro" => '€',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "times" => '×',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

impl HtmlText {
    /// Maps a byte range of the extracted text to the HTML it came from.
    pub fn to_html(&self, range: Range<usize>) -> Range<usize> {
        let start = self.map_start(range.start);
        let end = if range.end > range.start {
            self.map_end(range.end)
        } else {
            start
        };
        start..end.max(start)
    }

    fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let index = self.pieces.partition_point(|p| p.text.end <= offset);
        self.pieces.get(index)
    }

    fn map_start(&self, offset: usize) -> usize {
        match self.piece_at(offset) {
            Some(p) if p.verbatim => p.html.start + (offset.max(p.text.start) - p.text.start),
            Some(p) => p.html.start,
            None => self.pieces.last().map_or(0, |p| p.html.end),
        }
    }

    fn map_end(&self, offset: usize) -> usize {
        // The piece holding the last byte of the range.
        match self.piece_at(offset - 1) {
            Some(p) if p.verbatim => p.html.start + (offset.min(p.text.end) - p.text.start),
            Some(p) => p.html.end,
            None => self.pieces.last().map_or(0, |p| p.html.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_of<'a>(html: &'a str, extracted: &HtmlText, word: &str) -> &'a str {
        let start = extracted.text.find(word).unwrap();
        &html[extracted.to_html(start..start + word.len())]
    }

    #[test]
    fn paragraphs_breaks_and_entities() {
        let html = "<p>Hello&nbsp;Anna,</p><p>Your order was <b>escalated</b> to L2.<br>Thanks &amp; bye</p>";
        let t = extract(html);
        assert_eq!(
            t.text,
            "Hello Anna,\n\nYour order was escalated to L2.\nThanks & bye"
        );
        assert_eq!(html_of(html, &t, "escalated"), "escalated");
        assert_eq!(html_of(html, &t, "Thanks & bye"), "Thanks &amp; bye");
        assert_eq!(html_of(html, &t, "was escalated"), "was <b>escalated");
    }

    #[test]
    fn skips_scripts_styles_and_comments_and_quotes_blockquotes() {
        let html = "<style>p{x}</style><!-- c --><div>Hi</div><blockquote>On Mon Bob wrote:<br>old</blockquote><script>var a = '<p>';</script>";
        let t = extract(html);
        assert_eq!(t.text, "Hi\n\n> On Mon Bob wrote:\n> old");
    }

    #[test]
    fn plain_lt_is_text_and_multibyte_maps_back() {
        let html = "<p>a &lt; b < c — ёлка</p>";
        let t = extract(html);
        assert_eq!(t.text, "a < b < c — ёлка");
        assert_eq!(html_of(html, &t, "ёлка"), "ёлка");
        assert_eq!(html_of(html, &t, "<"), "&lt;");
    }
}
