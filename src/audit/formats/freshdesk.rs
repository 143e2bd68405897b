//! Freshdesk tickets: the `description` (the requester's first message, HTML) and the
//! `conversations` array (`?include=conversations`, or the conversations endpoint's bare
//! array). `incoming: true` is the customer; private notes are skipped. HTML bodies are
//! linted as text (`body_text`/`description_text` when no HTML is given).

use serde_json::Value;

use super::{NewMessage, ThreadBuilder, attachment_names, scalar, string};
use crate::conversation::Role;

/// Freshdesk's numeric ticket sources.
fn channel(source: &Value) -> Option<String> {
    let name = match source.as_u64()? {
        1 | 10 => "email",
        2 => "portal",
        3 => "phone",
        5 => "twitter",
        6 => "facebook",
        7 | 9 => "chat",
        8 => "mobihelp",
        other => return Some(other.to_string()),
    };
    Some(name.to_string())
}

/// A conversations endpoint response: an array of replies, not of tickets.
pub(crate) fn is_reply_list(value: &Value) -> bool {
    value
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|first| first.get("incoming").is_some() && first.get("description").is_none())
}

pub(crate) fn convert_reply_list(value: &Value) -> Result<ThreadBuilder, String> {
    let mut builder = ThreadBuilder::default();
    if let Some(replies) = value.as_array() {
        builder.conversation.id = replies.first().and_then(|r| scalar(r.get("ticket_id")));
        push_replies(&mut builder, replies)?;
    }
    Ok(builder)
}

pub(crate) fn convert(ticket: &Value) -> Result<ThreadBuilder, String> {
    let mut builder = ThreadBuilder::default();
    builder.conversation.id = scalar(ticket.get("id"));
    builder.conversation.channel = ticket.get("source").and_then(channel);
    let (description, is_html) = match (
        string(ticket, "description"),
        string(ticket, "description_text"),
    ) {
        (Some(html), _) => (Some(html), true),
        (None, Some(text)) => (Some(text), false),
        (None, None) => (None, false),
    };
    let conversations = ticket.get("conversations").and_then(Value::as_array);
    if description.is_none() && conversations.is_none() {
        return Err("a Freshdesk ticket needs `description` or `conversations`".into());
    }
    if let Some(body) = description {
        // An outbound e-mail (source 10) is opened by the agent.
        let outbound = ticket.get("source").and_then(Value::as_u64) == Some(10);
        builder.push(NewMessage {
            role: if outbound {
                Role::Agent
            } else {
                Role::Customer
            },
            body: body.to_string(),
            is_html,
            author: scalar(ticket.get("requester_id")),
            kind: None,
            created_at: scalar(ticket.get("created_at")),
            attachments: Vec::new(),
        });
    }
    if let Some(replies) = conversations {
        push_replies(&mut builder, replies)?;
    }
    Ok(builder)
}

fn push_replies(builder: &mut ThreadBuilder, replies: &[Value]) -> Result<(), String> {
    for (index, reply) in replies.iter().enumerate() {
        if reply.get("private").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let (body, is_html) = match (string(reply, "body"), string(reply, "body_text")) {
            (Some(html), _) => (html, true),
            (None, Some(text)) => (text, false),
            (None, None) => {
                return Err(format!(
                    "conversations[{index}] has no `body` or `body_text`"
                ));
            }
        };
        let incoming = reply
            .get("incoming")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        builder.push(NewMessage {
            role: if incoming {
                Role::Customer
            } else {
                Role::Agent
            },
            body: body.to_string(),
            is_html,
            author: scalar(reply.get("user_id")),
            kind: None,
            created_at: scalar(reply.get("created_at")),
            attachments: attachment_names(reply, "attachments", "name"),
        });
    }
    Ok(())
}
