//! Input formats: each turns one record of an export into a [`Thread`].
//!
//! JSON Lines of the thread contract and CSV rows are read as they are; help-desk exports
//! (Zendesk, Intercom, Freshdesk) are read from `serde_json::Value`s, one ticket or
//! conversation at a time, whether they come one per line or inside an API list response.

pub mod csv;
pub mod freshdesk;
pub mod html;
pub mod intercom;
pub mod jsonl;
pub mod zendesk;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde_json::Value;

use crate::conversation::{Attachment, AuthorKind, Conversation, Message, Role};
use html::HtmlText;

/// The formats `audit` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    Jsonl,
    Csv,
    Zendesk,
    Intercom,
    Freshdesk,
}

impl InputFormat {
    pub const ALL: [InputFormat; 5] = [
        InputFormat::Jsonl,
        InputFormat::Csv,
        InputFormat::Zendesk,
        InputFormat::Intercom,
        InputFormat::Freshdesk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
            InputFormat::Zendesk => "zendesk",
            InputFormat::Intercom => "intercom",
            InputFormat::Freshdesk => "freshdesk",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InputFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown input format `{s}` (known: jsonl, csv, zendesk, intercom, freshdesk)"
                )
            })
    }
}

/// One conversation read from an input, and where it came from.
#[derive(Debug, Clone)]
pub struct Thread {
    pub source: Arc<str>,
    /// 1-based line where the record starts, when the input has lines.
    pub line: Option<usize>,
    pub conversation: Conversation,
    /// Per message: the HTML body as stored, when the text was extracted from HTML.
    pub html: Vec<Option<HtmlBody>>,
}

/// An HTML body and the text extracted from it.
#[derive(Debug, Clone)]
pub struct HtmlBody {
    pub original: String,
    pub extracted: HtmlText,
}

/// A record that could not be read: reported with its place and counted, the rest goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub source: Arc<str>,
    pub line: Option<usize>,
    /// The ticket or conversation id, when it could be read.
    pub id: Option<String>,
    pub message: String,
}

impl fmt::Display for BadRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Builds a thread message by message; HTML bodies are extracted here.
#[derive(Default)]
pub(crate) struct ThreadBuilder {
    pub conversation: Conversation,
    pub html: Vec<Option<HtmlBody>>,
}

pub(crate) struct NewMessage {
    pub role: Role,
    pub body: String,
    pub is_html: bool,
    pub author: Option<String>,
    pub kind: Option<AuthorKind>,
    pub created_at: Option<String>,
    pub attachments: Vec<String>,
}

impl ThreadBuilder {
    pub fn push(&mut self, m: NewMessage) {
        let (text, html) = if m.is_html && html::looks_like_html(&m.body) {
            let extracted = html::extract(&m.body);
            (
                extracted.text.clone(),
                Some(HtmlBody {
                    original: m.body,
                    extracted,
                }),
            )
        } else {
            (m.body, None)
        };
        let mut message = Message::new(m.role, text);
        message.author = m.author;
        message.author_kind = m.kind;
        message.created_at = m.created_at;
        message.attachments = m
            .attachments
            .into_iter()
            .map(|name| Attachment { name })
            .collect();
        self.conversation.messages.push(message);
        self.html.push(html);
    }

    pub fn finish(self, source: &Arc<str>, line: Option<usize>) -> Result<Thread, BadRecord> {
        if self.conversation.messages.is_empty() {
            return Err(BadRecord {
                source: source.clone(),
                line,
                id: self.conversation.id.clone(),
                message: "no public messages".into(),
            });
        }
        Ok(Thread {
            source: source.clone(),
            line,
            conversation: self.conversation,
            html: self.html,
        })
    }
}

/// A scalar as text: ids and timestamps come as numbers or strings.
pub(crate) fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The names of a record's attachments: `value[list][*][name_key]`, empty when absent.
pub(crate) fn attachment_names(value: &Value, list: &str, name_key: &str) -> Vec<String> {
    value
        .get(list)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|a| string(a, name_key).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn string<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// The id of a record, for error messages.
pub(crate) fn record_id(value: &Value) -> Option<String> {
    scalar(value.get("id"))
}

/// The records of a JSON value: the value itself, or the items of a list response
/// (`{"tickets": [...]}`, `{"conversations": [...]}`, a bare array).
pub(crate) fn items(value: Value, list_keys: &[&str]) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(mut map) => {
            for key in list_keys {
                if let Some(Value::Array(_)) = map.get(*key)
                    && let Some(Value::Array(items)) = map.remove(*key)
                {
                    return items;
                }
            }
            vec![Value::Object(map)]
        }
        other => vec![other],
    }
}

type Converter = fn(&Value) -> Result<ThreadBuilder, String>;

/// Converts one JSON record of a help-desk format into threads (a list response holds many).
pub fn threads_from_value(
    format: InputFormat,
    value: Value,
    source: &Arc<str>,
    line: Option<usize>,
) -> Vec<Result<Thread, BadRecord>> {
    let bad = |id: Option<String>, message: String| BadRecord {
        source: source.clone(),
        line,
        id,
        message,
    };
    let (keys, convert): (&[&str], Converter) = match format {
        InputFormat::Zendesk => (&["tickets", "results"], zendesk::convert),
        InputFormat::Intercom => (&["conversations", "data"], intercom::convert),
        InputFormat::Freshdesk => (&["tickets", "results"], freshdesk::convert),
        InputFormat::Jsonl | InputFormat::Csv => {
            return vec![Err(bad(
                None,
                format!("{format} records are not JSON values"),
            ))];
        }
    };
    // A Freshdesk conversations endpoint response is a bare array of replies: one ticket.
    if format == InputFormat::Freshdesk && freshdesk::is_reply_list(&value) {
        return vec![
            freshdesk::convert_reply_list(&value)
                .map_err(|m| bad(None, m))
                .and_then(|b| b.finish(source, line)),
        ];
    }
    items(value, keys)
        .into_iter()
        .map(|item| {
            let id = record_id(&item);
            match convert(&item) {
                Ok(builder) => builder.finish(source, line),
                Err(message) => Err(bad(id, message)),
            }
        })
        .collect()
}

/// Detects the format of an input from its first bytes.
pub fn detect(prefix: &[u8]) -> Option<InputFormat> {
    let text = String::from_utf8_lossy(prefix);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let first = trimmed.chars().next()?;
    if first == '{' || first == '[' {
        // The first line alone when it is a whole JSON value, otherwise the keys seen.
        let first_line = trimmed.lines().next().unwrap_or("");
        if let Ok(value) = serde_json::from_str::<Value>(first_line)
            && let Some(format) = detect_value(&value)
        {
            return Some(format);
        }
        return detect_keys(trimmed);
    }
    let header = trimmed.lines().next().unwrap_or("").to_ascii_lowercase();
    (header.contains([',', ';', '\t']) && !header.contains('{')).then_some(InputFormat::Csv)
}

fn detect_value(value: &Value) -> Option<InputFormat> {
    let item = match value {
        Value::Array(items) => items.first()?,
        Value::Object(map) => ["tickets", "conversations", "results", "data"]
            .iter()
            .find_map(|k| {
                map.get(*k)
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
            })
            .unwrap_or(value),
        _ => return None,
    };
    if item.get("messages").is_some_and(Value::is_array) {
        return Some(InputFormat::Jsonl);
    }
    if item.get("conversation_parts").is_some()
        || item.get("type").and_then(Value::as_str) == Some("conversation")
    {
        return Some(InputFormat::Intercom);
    }
    if item.get("description_text").is_some()
        || item.get("conversations").is_some()
        || item.get("body_text").is_some()
        || item.get("incoming").is_some()
    {
        return Some(InputFormat::Freshdesk);
    }
    if item.get("comments").is_some()
        || item.get("via").is_some()
        || item.get("author_id").is_some()
    {
        return Some(InputFormat::Zendesk);
    }
    None
}

fn detect_keys(text: &str) -> Option<InputFormat> {
    let has = |key: &str| text.contains(&format!("\"{key}\""));
    if has("conversation_parts") {
        Some(InputFormat::Intercom)
    } else if has("body_text") || has("description_text") || has("incoming") {
        Some(InputFormat::Freshdesk)
    } else if has("html_body") || has("plain_body") || has("author_id") || has("via") {
        Some(InputFormat::Zendesk)
    } else if has("messages") && has("role") {
        Some(InputFormat::Jsonl)
    } else {
        None
    }
}
