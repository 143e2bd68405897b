//! Findings, in the JSON contract of DESIGN.md.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}`, expected error, warning or info"
            )),
        }
    }
}

/// A byte range into the original text of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Span {
        Span {
            start: range.start,
            end: range.end,
        }
    }
}

impl Span {
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A secondary location, usually in an earlier message ("given here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub message_index: usize,
    pub span: Span,
    pub text: String,
}

/// One finding on one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// Index of the linted message in the thread.
    pub message_index: usize,
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, counted in characters.
    pub column: usize,
    pub labels: Vec<Label>,
    pub help: String,
}

impl Diagnostic {
    /// A finding with its position still to be filled in by [`Diagnostic::locate`].
    pub fn new(
        rule: &str,
        severity: Severity,
        message_index: usize,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.to_string(),
            severity,
            message: message.into(),
            message_index,
            span: span.into(),
            line: 1,
            column: 1,
            labels: Vec::new(),
            help: String::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = help.into();
        self
    }

    pub fn with_label(
        mut self,
        message_index: usize,
        span: std::ops::Range<usize>,
        text: impl Into<String>,
    ) -> Diagnostic {
        self.labels.push(Label {
            message_index,
            span: span.into(),
            text: text.into(),
        });
        self
    }

    /// Clamps the spans to their messages' texts, on char boundaries, and computes line and
    /// column. `text_of` gives the original text of a message by index.
    pub fn locate<'a>(&mut self, text_of: impl Fn(usize) -> Option<&'a str>) {
        let text = text_of(self.message_index).unwrap_or("");
        self.span = clamp(self.span, text);
        let before = &text[..self.span.start];
        self.line = before.matches('\n').count() + 1;
        self.column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        for label in &mut self.labels {
            label.span = clamp(label.span, text_of(label.message_index).unwrap_or(""));
        }
    }
}

fn clamp(span: Span, text: &str) -> Span {
    let len = text.len();
    let mut start = span.start.min(len);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.min(len).max(start);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span { start, end }
}
