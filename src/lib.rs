//! replylint: a response-quality linter for customer-support replies.
//!
//! It reads a conversation and the agent's draft and reports, with spans, what a careful
//! support lead would point out before the reply is sent. English, Russian and Bulgarian.
//!
//! The data flows one way: input ([`Conversation`]) → [`analysis::Analysis`], computed once
//! and shared → rules → [`Diagnostic`]s. [`Linter`] is the entry point.

pub mod analysis;
pub mod audit;
pub mod config;
pub mod conversation;
mod data;
pub mod diagnostic;
pub mod input;
pub mod language;
pub mod lexicon;
mod linter;
pub mod report;
pub mod rules;

pub use config::{Config, ConfigError, FailOn};
pub use conversation::{Attachment, AuthorKind, Channel, Conversation, Message, Role};
pub use diagnostic::{Diagnostic, Label, Severity, Span};
pub use language::Lang;
pub use linter::Linter;
