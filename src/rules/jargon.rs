//! jargon: uses internal, technical, legal or bureaucratic terms the customer did not use first.
//!
//! What it does: finds terms from the `jargon` lexicon of the draft's language
//! (`rules/<lang>/jargon.toml`, plus any lexicon folders added in `replylint.toml`) in the
//! agent's own words, skipping quoted trails and signatures. A term stays quiet when the
//! customer used it first in this thread: then it is their word too. Each term is reported
//! once per draft, with the plain-language wording from the lexicon as help. A customer who
//! writes technical terms themselves (a developer reporting an API error) gets technical
//! replies: technical terms stay quiet for them, internal and bureaucratic ones do not. A
//! lower-case term written with a capital inside a sentence is a name («ресторан Ла Таска»),
//! and the words of a link are an address: neither is reported.
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
        let Some(lexicon) = cx.lexicon(draft, "jargon") else {
            return;
        };
        if draft.own_hits_of(Some(lexicon)).next().is_none() {
            return;
        }
        let pack = cx.pack(draft);

        // Terms the customer used in their own words (same language data, same term), and
        // the registers they write in: a customer who says "backend" reads "rollback".
        let mut customer_terms: HashSet<usize> = HashSet::new();
        let mut customer_registers: HashSet<&str> = HashSet::new();
        for message in cx.customer_messages().filter(|m| m.lang == draft.lang) {
            for hit in message.own_hits_of(Some(lexicon)) {
                customer_terms.insert(hit.term);
                if let Some(tag) = pack.term(hit).tag.as_deref() {
                    customer_registers.insert(tag);
                }
            }
        }

        // Every word the customer wrote, so a term whose key words they used ("общите
        // условия" for "съгласно общите условия") counts as theirs too.
        let customer_stems: HashSet<&str> = cx
            .customer_messages()
            .filter(|m| m.lang == draft.lang)
            .flat_map(|m| m.own_words().map(|w| w.stem.as_str()))
            .collect();
        let mostly_theirs = |words: &[crate::analysis::Word]| {
            let content: Vec<&str> = words
                .iter()
                .filter(|w| !w.function)
                .map(|w| w.stem.as_str())
                .collect();
            let missing = content
                .iter()
                .filter(|s| !customer_stems.contains(*s))
                .count();
            content.len() >= 2 && missing + 1 < content.len().max(2) && missing <= 1
        };
        // A lower-case term written with a capital inside a sentence is a name («Ла Таска» is
        // a restaurant, not «таск»); words of a link are an address ("…/legal/end-user-…").
        let names_something_else = |hit: &crate::lexicon::Hit| {
            let first = &draft.words[hit.words.start];
            let named = hit.words.len() == 1
                && first.shape.written_starts_uppercase()
                && first.shape.written_has_lowercase()
                && draft.sentences[first.sentence].words.start != hit.words.start
                && !pack
                    .term(hit)
                    .phrases
                    .iter()
                    .any(|p| p.chars().any(char::is_uppercase));
            named || draft.in_link(first.original.start)
        };
        let mut reported: HashSet<usize> = HashSet::new();
        for hit in draft.own_hits_of(Some(lexicon)) {
            if names_something_else(hit) {
                continue;
            }
            let term = pack.term(hit);
            let customer_register = term
                .tag
                .as_deref()
                .is_some_and(|t| t == "technical" && customer_registers.contains(t));
            if mostly_theirs(&draft.words[hit.words.clone()])
                || customer_terms.contains(&hit.term)
                || customer_register
                || !reported.insert(hit.term)
            {
                continue;
            }
            let span = draft.words_span(hit.words.clone());
            let written = draft.text_at(span.clone());
            let help = term
                .help
                .as_deref()
                .unwrap_or("say it in the customer's words");
            out.push(
                cx.diagnostic(
                    span,
                    format!("`{written}` is jargon the customer did not use"),
                )
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    fn fired(customer: &str, draft: &str) -> usize {
        crate::rules::testing::findings("jargon", customer, draft)
    }

    #[test]
    fn internal_words_are_reported() {
        assert_eq!(
            fired("Когда вернут деньги?", "Завела таск на возврат, ждите."),
            1
        );
    }

    #[test]
    fn names_and_links_are_not_jargon() {
        // «Таска» is a restaurant here, not «таск».
        assert_eq!(
            fired(
                "Посоветуйте испанский ресторан в центре.",
                "Да, Ла Таска недорогой, и там очень вкусно."
            ),
            0
        );
        assert_eq!(
            fired(
                "Can I share my account with my brother?",
                "Our terms say one account per person: https://www.example.com/legal/end-user-agreement"
            ),
            0
        );
    }
}
