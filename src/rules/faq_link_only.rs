//! faq-link-only: sends the customer to an FAQ or help article instead of answering, or puts the link before the answer.
//!
//! What it does: finds the draft's pointer sentences — a link together with pointing words
//! ("see", "more details", «подробнее», «вижте») or a help-centre address (help, faq,
//! support, docs, kb, article), or, without a link, a sentence naming a help section ("see the
//! Returns section of our FAQ"). Requests ("DM us", «пришлите») and contact channels
//! ("submit a ticket here", `contact-channels.toml`) route to a person and are not pointers, and
//! neither is a link to act on (pay, download, track, reset a password: tagged `action` there,
//! in the sentence's words, not in the address itself) unless it is a help-centre address.
//! "Please read" points only next to a link (`with-link` in `help-pointers.toml`). When the
//! rest of the draft, greetings and thanks aside, carries almost no words of its own (fewer
//! than 8 content words), the link replaces the answer: a warning. When the draft does answer
//! but the pointer comes before the first sentence that addresses the question, the link is
//! in the wrong place: info. A direct answer followed by "more details: <link>" is fine.
//!
//! Why: the customer wants the answer here and now, not a search through an article.
//! Seed 000: «клиент хочет получить ответ здесь и сейчас»; links belong at the end, after
//! the answer.
//!
//! Bad:  customer "Can I change my delivery date?" / draft "Please see our FAQ:
//!       https://help.shop.com/delivery"
//! Good: draft "Yes: open the order, tap Change date and pick a day this week. More on
//!       delivery: https://help.shop.com/delivery"
//!
//! Options: `min-answer-words` (8): content words a reply needs besides the link.

use rustc_hash::FxHashSet;

use crate::analysis::signals;
use crate::analysis::{EntityKind, MessageAnalysis, Sentence};
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule, number_option};

pub struct FaqLinkOnly {
    min_answer_words: f64,
}

impl Default for FaqLinkOnly {
    fn default() -> Self {
        FaqLinkOnly {
            min_answer_words: 8.0,
        }
    }
}

/// Parts of a URL that mark a help page.
const HELP_URL_MARKERS: &[&str] = &[
    "help",
    "faq",
    "support",
    "docs",
    "doc/",
    "kb",
    "knowledge",
    "article",
    "guide",
    "manual",
    "howto",
    "how-to",
    "info",
    "pomosh",
    "pomoshch",
    "spravk",
    "spravka",
    "podderzhka",
    "помощ",
    "справк",
    "vyprosi",
    "vaprosi",
    "questions",
];

impl Rule for FaqLinkOnly {
    fn id(&self) -> &'static str {
        "faq-link-only"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "hands over an FAQ or help link instead of an answer, or puts it before the answer"
    }

    fn set_option(&mut self, key: &str, value: &toml::Value) -> Result<(), String> {
        match key {
            "min-answer-words" => {
                self.min_answer_words = number_option(key, value)?;
                Ok(())
            }
            _ => Err(format!(
                "rule `faq-link-only` has no option `{key}` (options: min-answer-words)"
            )),
        }
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let lex = cx.lexicons(draft);
        // A sentence points somewhere only with a link or two pointing phrases (see
        // `is_pointer`): most drafts have neither, and are done with here.
        let has_link = draft.entities.iter().any(|e| e.kind == EntityKind::Url);
        if !has_link && draft.hits_of(lex.help_pointers).nth(1).is_none() {
            return;
        }
        let sentences: Vec<(usize, &Sentence)> = draft.own_sentences().collect();
        let pointers: Vec<usize> = sentences
            .iter()
            .filter(|(_, s)| is_pointer(draft, lex, s))
            .map(|(i, _)| *i)
            .collect();
        let Some(&first_pointer) = pointers.first() else {
            return;
        };

        let mut question_words: FxHashSet<&str> = FxHashSet::default();
        let mut question_concepts: FxHashSet<usize> = FxHashSet::default();
        for message in cx.latest_customer() {
            let customer_lex = cx.lexicons(message);
            // The customer asked for the link, guide or manual: handing it over is the answer.
            let asked_for_link = signals::questions(message, customer_lex).iter().any(|q| {
                let sentence = &message.sentences[q.sentence];
                signals::has_hit(message, customer_lex.help_pointers, sentence)
                    || signals::hits_in(message, customer_lex.data_kinds, sentence)
                        .any(|h| customer_lex.tag(h) == Some("link"))
            });
            if asked_for_link {
                return;
            }
            for question in signals::questions(message, customer_lex) {
                question_words.extend(question.content.iter().map(|s| s.as_str()));
                question_concepts.extend(question.concepts.iter().copied());
            }
        }
        let mut answer_words = 0usize;
        let mut first_answer: Option<usize> = None;
        // The first answering sentence states a figure or a yes/no ("До 10 рабочих дней.",
        // "Да, можно."): a short answer that comes before the link is still an answer.
        let mut firm_answer_first = false;
        for (index, sentence) in &sentences {
            if pointers.contains(index) || signals::is_small_talk(draft, lex, sentence) {
                continue;
            }
            let stems: Vec<&str> = draft.content_stems(sentence.words.clone()).collect();
            answer_words += stems.len();
            let addresses = stems.iter().any(|s| question_words.contains(*s))
                || signals::concepts_in(draft, lex, sentence.words.clone())
                    .iter()
                    .any(|c| question_concepts.contains(c))
                || signals::has_hit(draft, lex.yes_no, sentence);
            if addresses && first_answer.is_none() {
                first_answer = Some(*index);
                firm_answer_first = *index < first_pointer
                    && (stems.iter().any(|s| s.chars().any(|c| c.is_ascii_digit()))
                        || signals::has_hit(draft, lex.yes_no, sentence));
            }
        }
        let span = draft.sentences[first_pointer].original.clone();
        if (answer_words as f64) < self.min_answer_words && !firm_answer_first {
            out.push(
                cx.diagnostic(span, "the reply points to a help page instead of answering")
                    .with_help(
                        "answer in the reply itself; add the link after the answer for details",
                    ),
            );
        } else if first_answer.is_some_and(|answer| first_pointer < answer) {
            let mut finding = cx
                .diagnostic(span, "the help link comes before the answer")
                .with_help("give the answer first and the link at the end");
            finding.severity = finding.severity.min(Severity::Info);
            out.push(finding);
        }
    }
}

/// A sentence that hands the customer a help page.
fn is_pointer(
    message: &MessageAnalysis<'_>,
    lex: &signals::Lexicons<'_>,
    sentence: &Sentence,
) -> bool {
    // A request ("DM us") or a contact channel ("submit a ticket here") routes the customer
    // to a person, which is not handing them an article.
    let contact = lex.contact_channels;
    // Words of a link's own address ("…/council-tax/paying") say nothing of what the
    // sentence asks the customer to do; a contact page ("…/contact-us") still routes to a
    // person.
    let urls: Vec<std::ops::Range<usize>> = message
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Url)
        .map(|e| e.original.clone())
        .collect();
    let in_url = |hit: &crate::lexicon::Hit| {
        let span = message.words_span(hit.words.clone());
        urls.iter()
            .any(|u| u.start <= span.start && span.end <= u.end)
    };
    let mut act = false;
    for hit in signals::hits_in(message, contact, sentence) {
        if lex.tag(hit) == Some("action") {
            if in_url(hit) {
                continue;
            }
            act = true;
        } else {
            return false;
        }
    }
    if signals::has_hit(message, lex.request, sentence) {
        return false;
    }
    let links: Vec<&str> = message
        .entities
        .iter()
        .filter(|e| {
            e.kind == EntityKind::Url
                && e.original.start >= sentence.original.start
                && e.original.start < sentence.original.end.max(sentence.original.start + 1)
        })
        .map(|e| e.text.as_str())
        .collect();
    // Overlapping phrases ("посмотрите" and "посмотрите пожалуйста") point once.
    let mut pointing = 0;
    let mut covered = 0;
    for hit in signals::hits_in(message, lex.help_pointers, sentence) {
        // "Please read" points at a page only when one is there.
        if links.is_empty() && lex.tag(hit) == Some("with-link") {
            continue;
        }
        if hit.words.start >= covered {
            pointing += 1;
        }
        covered = covered.max(hit.words.end);
    }
    if links.is_empty() {
        return pointing >= 2;
    }
    if links.iter().any(|url| is_help_url(url)) {
        return true;
    }
    // A link to act on, not to read ("Оплатить картой можно по ссылке: <link>", "track it
    // here", `action` in contact-channels.toml) is not a help page.
    pointing >= 1 && !act
}

fn is_help_url(url: &str) -> bool {
    let lower = url.to_lowercase();
    HELP_URL_MARKERS.iter().any(|m| lower.contains(m))
}
