//! Intercom conversations: the `source` (the first message) and `conversation_parts` (either
//! the array, or the API's `{"conversation_parts": [...]}` list object), with HTML bodies.
//!
//! `author.type` `user`, `lead` or `contact` is the customer; `admin` and `team` are agents;
//! `bot` (Fin and other bots) is audited as an agent and counted apart in summaries. Notes
//! and parts without a body (assignments, state changes) are skipped.

use serde_json::Value;

use super::{NewMessage, ThreadBuilder, attachment_names, scalar, string};
use crate::conversation::{AuthorKind, Role};

pub(crate) fn convert(item: &Value) -> Result<ThreadBuilder, String> {
    let mut builder = ThreadBuilder::default();
    builder.conversation.id = scalar(item.get("id"));
    let source = item.get("source");
    if source.is_none() && item.get("conversation_parts").is_none() {
        return Err("an Intercom conversation needs `source` or `conversation_parts`".into());
    }
    builder.conversation.channel = source
        .and_then(|s| string(s, "type"))
        .map(|t| if t == "conversation" { "chat" } else { t }.to_string());
    if let Some(source) = source {
        push_part(&mut builder, source, item.get("created_at"))
            .map_err(|m| format!("source: {m}"))?;
    }
    let parts = match item.get("conversation_parts") {
        Some(Value::Array(parts)) => parts.as_slice(),
        Some(list @ Value::Object(_)) => list
            .get("conversation_parts")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
        _ => &[],
    };
    for (index, part) in parts.iter().enumerate() {
        let kind = string(part, "part_type").unwrap_or("comment");
        if kind.contains("note") {
            continue;
        }
        push_part(&mut builder, part, part.get("created_at"))
            .map_err(|m| format!("conversation_parts[{index}]: {m}"))?;
    }
    Ok(builder)
}

fn push_part(
    builder: &mut ThreadBuilder,
    part: &Value,
    created_at: Option<&Value>,
) -> Result<(), String> {
    let body = match part.get("body") {
        Some(Value::String(body)) if !body.trim().is_empty() => body,
        _ => return Ok(()),
    };
    let author = part.get("author").ok_or("no `author`")?;
    let (role, kind) = match string(author, "type").unwrap_or("") {
        "user" | "lead" | "contact" => (Role::Customer, None),
        "admin" | "team" => (Role::Agent, Some(AuthorKind::Human)),
        "bot" => (Role::Agent, Some(AuthorKind::Bot)),
        other => return Err(format!("unknown `author.type` `{other}`")),
    };
    let attachments = attachment_names(part, "attachments", "name");
    builder.push(NewMessage {
        role,
        body: body.clone(),
        is_html: true,
        author: string(author, "name")
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .or_else(|| scalar(author.get("id"))),
        kind,
        created_at: scalar(created_at),
        attachments,
    });
    Ok(())
}
