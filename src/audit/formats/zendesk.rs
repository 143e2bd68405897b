//! Zendesk tickets with their comments: one ticket per line as the full JSON export gives
//! them, or the API's responses (`{"tickets": [...]}`, `{"ticket": {...}, "comments": [...]}`,
//! a ticket's `{"comments": [...]}`).
//!
//! The requester's `author_id` tells the customer from the agents; private notes
//! (`"public": false`) are skipped. The text linted is `body`, else `html_body` (as HTML),
//! else `plain_body`; spans point into the field used.

use serde_json::Value;

use super::{NewMessage, ThreadBuilder, attachment_names, scalar, string};
use crate::conversation::Role;

pub(crate) fn convert(item: &Value) -> Result<ThreadBuilder, String> {
    let ticket = item.get("ticket").unwrap_or(item);
    let comments = item
        .get("comments")
        .or_else(|| ticket.get("comments"))
        .and_then(Value::as_array)
        .ok_or("a Zendesk ticket needs its `comments` array (export tickets with comments)")?;
    let mut builder = ThreadBuilder::default();
    builder.conversation.id = scalar(ticket.get("id"));
    builder.conversation.channel = ticket
        .pointer("/via/channel")
        .and_then(Value::as_str)
        .or_else(|| {
            comments
                .first()
                .and_then(|c| c.pointer("/via/channel"))
                .and_then(Value::as_str)
        })
        .map(str::to_string);
    // Without a requester, the author of the first comment opened the ticket.
    let requester = scalar(ticket.get("requester_id"))
        .or_else(|| comments.first().and_then(|c| scalar(c.get("author_id"))));
    for (index, comment) in comments.iter().enumerate() {
        if comment.get("public").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        let author = scalar(comment.get("author_id"));
        let role = if author.is_some() && author == requester {
            Role::Customer
        } else {
            Role::Agent
        };
        let (body, is_html) = if let Some(body) = string(comment, "body") {
            (body, false)
        } else if let Some(body) = string(comment, "html_body") {
            (body, true)
        } else if let Some(body) = string(comment, "plain_body") {
            (body, false)
        } else {
            return Err(format!(
                "comments[{index}] has no `body`, `html_body` or `plain_body`"
            ));
        };
        let attachments = attachment_names(comment, "attachments", "file_name");
        builder.push(NewMessage {
            role,
            body: body.to_string(),
            is_html,
            author,
            kind: None,
            created_at: scalar(comment.get("created_at")),
            attachments,
        });
    }
    Ok(builder)
}
