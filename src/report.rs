//! Rendering findings for people: miette's graphical diagnostics, with the draft underlined
//! and labels pointing into earlier messages.

use std::fmt;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::conversation::{Conversation, Role};
use crate::diagnostic::{Diagnostic, Severity};

/// How to draw reports.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// Renders one finding as text.
pub fn render(
    diagnostic: &Diagnostic,
    conversation: &Conversation,
    source_name: &str,
    style: Style,
) -> String {
    let finding = Finding::new(diagnostic, conversation, source_name);
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, &finding).is_err() {
        // Rendering into a String cannot fail on I/O; fall back to one line if it ever does.
        out = format!(
            "{}: [{}] {}\n",
            diagnostic.severity, diagnostic.rule, diagnostic.message
        );
    }
    out
}

/// "2 warnings, 1 info" (or "no findings").
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .iter()
    .filter_map(|&(s, name)| {
        let n = count(s);
        (n > 0).then(|| {
            format!(
                "{n} {name}{}",
                if n > 1 && s != Severity::Info {
                    "s"
                } else {
                    ""
                }
            )
        })
    })
    .collect();
    if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    }
}

fn message_name(conversation: &Conversation, index: usize, source_name: &str) -> String {
    let role = match conversation.messages.get(index).map(|m| m.role) {
        Some(Role::Customer) => "customer",
        _ if index + 1 == conversation.messages.len() => "draft",
        _ => "agent",
    };
    format!("{source_name} › message {} ({role})", index + 1)
}

struct Finding {
    diagnostic: Diagnostic,
    source: MessageSource,
    related: Vec<LabelNote>,
}

impl Finding {
    fn new(diagnostic: &Diagnostic, conversation: &Conversation, source_name: &str) -> Finding {
        let text = conversation
            .messages
            .get(diagnostic.message_index)
            .map_or(String::new(), |m| m.text.clone());
        let related = diagnostic
            .labels
            .iter()
            .filter(|l| l.message_index != diagnostic.message_index)
            .map(|label| LabelNote {
                text: label.text.clone(),
                span: label.span.range(),
                source: MessageSource::new(
                    message_name(conversation, label.message_index, source_name),
                    conversation
                        .messages
                        .get(label.message_index)
                        .map_or(String::new(), |m| m.text.clone()),
                ),
            })
            .collect();
        Finding {
            diagnostic: diagnostic.clone(),
            source: MessageSource::new(
                message_name(conversation, diagnostic.message_index, source_name),
                text,
            ),
            related,
        }
    }
}

impl fmt::Debug for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding")
            .field("rule", &self.diagnostic.rule)
            .finish()
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Finding {}

impl MietteDiagnostic for Finding {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.diagnostic.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.diagnostic.help.is_empty())
            .then(|| Box::new(&self.diagnostic.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary =
            LabeledSpan::new_primary_with_span(Some("here".into()), self.diagnostic.span.range());
        let same_message = self
            .diagnostic
            .labels
            .iter()
            .filter(|l| l.message_index == self.diagnostic.message_index)
            .map(|l| LabeledSpan::new_with_span(Some(l.text.clone()), l.span.range()));
        Some(Box::new(std::iter::once(primary).chain(same_message)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn MietteDiagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn MietteDiagnostic),
        ))
    }
}

/// One message's text under the name shown in the report.
struct MessageSource {
    name: String,
    text: String,
}

impl MessageSource {
    fn new(name: String, text: String) -> MessageSource {
        MessageSource { name, text }
    }
}

impl SourceCode for MessageSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // The location in the header ("file:line:column") is read without context lines;
        // miette counts its column in bytes, people (and the JSON output) in characters.
        let column = if context_lines_before == 0 && context_lines_after == 0 {
            let offset = span.offset().min(self.text.len());
            let before = self.text.get(..offset).unwrap_or("");
            let line_start = before.rfind(['\n', '\r']).map_or(0, |p| p + 1);
            before[line_start..].chars().count()
        } else {
            contents.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

/// A label in another message, drawn as a note under the finding.
struct LabelNote {
    text: String,
    span: std::ops::Range<usize>,
    source: MessageSource,
}

impl fmt::Debug for LabelNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for LabelNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for LabelNote {}

impl MietteDiagnostic for LabelNote {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.text.clone()), self.span.clone()),
        )))
    }
}
