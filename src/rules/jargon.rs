//! jargon: uses internal, technical, legal or bureaucratic terms the customer did not use first.
//!
//! What it does: finds terms from the `jargon` lexicon of the draft's language
//! (`rules/<lang>/jargon.toml`, plus any lexicon folders added in `replylint.toml`) in the
//! agent's own words, skipping quoted trails and signatures. A term stays quiet when the
//! customer used it first in this thread: then it is their word too. Each term is reported
//! once per draft, with the plain-language wording from the lexicon as help.
//!
//! Why: the customer does not know the company's internal words, and bureaucratic phrasing
//! (канцелярит) reads as a wall between them and a person. Seed 003: «Избягвайте жаргона»;
//! seed 000 warns against legal terms in replies.
//!
//! Bad:  customer "Where is my refund?" / draft "Your case was escalated to L2 per our SLA."
//! Good: draft "I've passed your refund to our payments team; they reply within one working day."
//!
//! Bad:  draft «Ваше обращение эскалировано, осуществим возврат денежных средств.»
//! Good: draft «Я передала ваш вопрос специалисту, деньги вернём до пятницы.»
//!
//! Options: none. Add your own product's internal names as a lexicon folder in
//! `replylint.toml` (`lexicons = ["my-lexicons"]`, files `my-lexicons/<lang>/jargon.toml`).

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct Jargon;

impl Rule for Jargon {
    fn id(&self) -> &'static str {
        "jargon"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "internal, technical, legal or bureaucratic terms the customer did not use first"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let Some(lexicon) = cx.lexicon(draft, "jargon") else { return };
        let pack = cx.pack(draft);

        // Terms the customer used in their own words (same language data, same term).
        let mut customer_terms: HashSet<usize> = HashSet::new();
        for message in cx.customer_messages().filter(|m| m.lang == draft.lang) {
            customer_terms.extend(message.own_hits_of(Some(lexicon)).map(|h| h.term));
        }

        let mut reported: HashSet<usize> = HashSet::new();
        for hit in draft.own_hits_of(Some(lexicon)) {
            if customer_terms.contains(&hit.term) || !reported.insert(hit.term) {
                continue;
            }
            let span = draft.words_span(hit.words.clone());
            let term = pack.term(hit);
            let written = draft.text_at(span.clone());
            let help = term
                .help
                .clone()
                .unwrap_or_else(|| "say it in the customer's words".to_string());
            out.push(
                cx.diagnostic(span, format!("`{written}` is jargon the customer did not use"))
                    .with_help(help),
            );
        }
    }
}
