//! The conversation model: what every input format becomes before analysis.
//!
//! The thread JSON of DESIGN.md maps onto these types directly; unknown fields are ignored so
//! that exports with extra metadata can be fed as they are.

use serde::{Deserialize, Serialize};

use crate::language::Lang;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Agent,
}

/// A file attached to a message; only its name matters to the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
}

/// One message of a thread, in the order it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Who wrote it (an agent's name or id); used by audit summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Whether the author is a person or a bot (e.g. Intercom's Fin); used by audit summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_kind: Option<AuthorKind>,
    /// When it was written, as the source gives it (ISO 8601, or Unix seconds as text); used by
    /// audit trends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// Who, of people and programs, wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthorKind {
    Human,
    Bot,
}

impl Message {
    pub fn customer(text: impl Into<String>) -> Self {
        Self::new(Role::Customer, text)
    }

    pub fn agent(text: impl Into<String>) -> Self {
        Self::new(Role::Agent, text)
    }

    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Message {
            role,
            text: text.into(),
            attachments: Vec::new(),
            author: None,
            author_kind: None,
            created_at: None,
        }
    }

    pub fn with_attachment(mut self, name: impl Into<String>) -> Self {
        self.attachments.push(Attachment { name: name.into() });
        self
    }
}

/// The channel a thread came through. It changes what "too long" means: a chat answer is
/// read on a phone between two other things, an e-mail is read at a desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Chat,
    Email,
    Social,
    Other,
}

impl Channel {
    /// Reads a free-form channel name as help desks spell it.
    pub fn from_name(name: &str) -> Channel {
        match name.trim().to_ascii_lowercase().as_str() {
            "chat" | "livechat" | "live_chat" | "messenger" | "whatsapp" | "telegram" | "sms"
            | "web_widget" | "widget" | "native_messaging" => Channel::Chat,
            "email" | "e-mail" | "mail" => Channel::Email,
            "social" | "twitter" | "facebook" | "instagram" | "vk" | "x" => Channel::Social,
            _ => Channel::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Social => "social",
            Channel::Other => "other",
        }
    }
}

/// A support thread: the customer's messages and the agent's replies, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Conversation {
    #[serde(
        default,
        deserialize_with = "id_as_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// Language hint; when it names a supported language it wins over detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(deserialize_with = "messages_with_room")]
    pub messages: Vec<Message>,
}

impl Conversation {
    pub fn new(messages: Vec<Message>) -> Self {
        Conversation {
            messages,
            ..Default::default()
        }
    }

    pub fn channel(&self) -> Channel {
        self.channel
            .as_deref()
            .map(Channel::from_name)
            .unwrap_or(Channel::Other)
    }

    /// The language hint, if it names a supported language.
    pub fn lang_hint(&self) -> Option<Lang> {
        self.lang.as_deref().and_then(Lang::from_code)
    }
}

/// The messages of a thread into a vector with room for a typical thread from the start: a
/// JSON array does not say its length, and growing one message at a time copies them all
/// several times over.
fn messages_with_room<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Message>, D::Error> {
    struct Messages;
    impl<'de> serde::de::Visitor<'de> for Messages {
        type Value = Vec<Message>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<Message>, A::Error> {
            let mut messages = Vec::with_capacity(seq.size_hint().unwrap_or(0).clamp(16, 4096));
            while let Some(message) = seq.next_element()? {
                messages.push(message);
            }
            Ok(messages)
        }
    }
    d.deserialize_seq(Messages)
}

/// Help desks export ids as numbers as often as strings; both are kept as text.
fn id_as_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match value {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}
