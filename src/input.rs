//! Reading threads from bytes, with errors that say where the input is wrong.

use std::fmt;

use crate::conversation::{Conversation, Role};

/// Why an input could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file name as the user gave it (`-` reads as `<stdin>`).
    pub source: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column, when the problem has one.
    pub column: Option<usize>,
    /// The JSON path of the offending field (`messages[2].role`), when known.
    pub field: Option<String>,
    pub message: String,
}

impl InputError {
    pub fn new(source: &str, message: impl Into<String>) -> Self {
        InputError {
            source: source.to_string(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for InputError {}

/// Decodes UTF-8, reporting the line and column of the first invalid byte.
pub fn decode_utf8<'a>(source: &str, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    // Valid input (nearly all of it) is checked by the vectorised validator; only a broken
    // record is read again, for where it breaks.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|err| {
        let valid = &bytes[..err.valid_up_to()];
        // The valid prefix is UTF-8 by construction.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        let line = prefix.matches('\n').count() + 1;
        let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        InputError {
            line: Some(line),
            column: Some(column),
            ..InputError::new(
                source,
                format!(
                    "input is not valid UTF-8 (invalid byte at offset {})",
                    err.valid_up_to()
                ),
            )
        }
    })
}

/// Parses one thread in the JSON contract and checks that it is well formed: at least one
/// message. `line_offset` shifts reported lines when the JSON is one line of a larger file.
pub fn parse_thread(
    source: &str,
    text: &str,
    line_offset: usize,
) -> Result<Conversation, InputError> {
    if text.trim().is_empty() {
        return Err(
            InputError::new(source, "input is empty: expected a thread JSON object")
                .at_line(line_offset + 1),
        );
    }
    // Most records are well formed: parse them at full speed, and only parse a broken one
    // again with the field path tracked, for the error message.
    let conversation = match serde_json::from_str::<Conversation>(text) {
        Ok(conversation) => conversation,
        Err(_) => parse_with_path(source, text, line_offset)?,
    };
    if conversation.messages.is_empty() {
        return Err(InputError {
            field: Some("messages".into()),
            ..InputError::new(source, "the thread has no messages").at_line(line_offset + 1)
        });
    }
    Ok(conversation)
}

fn parse_with_path(
    source: &str,
    text: &str,
    line_offset: usize,
) -> Result<Conversation, InputError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let conversation: Conversation =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let path = err.path().to_string();
            json_error(
                source,
                err.into_inner(),
                line_offset,
                (path != "." && !path.is_empty()).then_some(path),
            )
        })?;
    deserializer
        .end()
        .map_err(|err| json_error(source, err, line_offset, None))?;
    Ok(conversation)
}

fn json_error(
    source: &str,
    err: serde_json::Error,
    line_offset: usize,
    field: Option<String>,
) -> InputError {
    InputError {
        source: source.to_string(),
        line: Some(err.line() + line_offset),
        column: Some(err.column()),
        field,
        message: strip_position(&err.to_string()),
    }
}

/// `check` lints the last message, so it must be the agent's draft.
pub fn require_agent_draft(source: &str, conversation: &Conversation) -> Result<(), InputError> {
    let last = conversation.messages.len().saturating_sub(1);
    match conversation.messages.last() {
        Some(message) if message.role == Role::Agent => Ok(()),
        Some(_) => Err(InputError {
            field: Some(format!("messages[{last}].role")),
            ..InputError::new(
                source,
                "the last message is the customer's: `check` lints the agent's draft, which must come last",
            )
        }),
        None => Err(InputError::new(source, "the thread has no messages")),
    }
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_field_path_and_line() {
        let json = "{\"messages\": [\n {\"role\": \"customer\", \"text\": \"hi\"},\n {\"role\": \"bot\", \"text\": \"x\"}]}";
        let err = parse_thread("t.json", json, 0).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.field.as_deref(), Some("messages[1].role"));
        assert!(err.message.contains("unknown variant"), "{}", err.message);
    }

    #[test]
    fn rejects_empty_and_truncated_input() {
        assert!(
            parse_thread("t", "  ", 0)
                .unwrap_err()
                .message
                .contains("empty")
        );
        let err = parse_thread("t", "{\"messages\": [{\"role\": \"agent\"", 0).unwrap_err();
        assert!(err.message.contains("EOF"), "{}", err.message);
        let err = parse_thread("t", "{\"messages\": []}", 0).unwrap_err();
        assert!(err.message.contains("no messages"));
    }

    #[test]
    fn ignores_unknown_fields_and_accepts_numeric_ids() {
        let json = r#"{"id": 17, "extra": {"a": 1}, "messages": [{"role": "agent", "text": "Hi", "x": 1}]}"#;
        let conversation = parse_thread("t", json, 0).unwrap();
        assert_eq!(conversation.id.as_deref(), Some("17"));
    }

    #[test]
    fn invalid_utf8_has_a_position() {
        let err = decode_utf8("t", b"ab\ncd\xff").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(3)));
    }

    #[test]
    fn wrong_last_role_is_rejected() {
        let json =
            r#"{"messages": [{"role": "agent", "text": "Hi"}, {"role": "customer", "text": "?"}]}"#;
        let conversation = parse_thread("t", json, 0).unwrap();
        let err = require_agent_draft("t", &conversation).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("messages[1].role"));
    }
}
