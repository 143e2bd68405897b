//! JSON Lines of the thread contract: one conversation per line.

use std::sync::Arc;

use super::{BadRecord, Thread};
use crate::input;

/// Parses one line (1-based `line`) of a JSON Lines file.
pub fn parse_line(source: &Arc<str>, line: usize, bytes: &[u8]) -> Result<Thread, BadRecord> {
    let bad = |err: input::InputError| BadRecord {
        source: source.clone(),
        line: Some(line),
        id: None,
        message: match (&err.field, err.column) {
            (Some(field), _) => format!("field `{field}`: {}", err.message),
            (None, Some(column)) => format!("column {column}: {}", err.message),
            (None, None) => err.message,
        },
    };
    let text = input::decode_utf8(source, bytes).map_err(bad)?;
    let conversation = input::parse_thread(source, text, line - 1).map_err(bad)?;
    let html = vec![None; conversation.messages.len()];
    Ok(Thread {
        source: source.clone(),
        line: Some(line),
        conversation,
        html,
    })
}
