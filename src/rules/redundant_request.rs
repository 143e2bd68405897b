//! redundant-request: asks the customer for data they already gave in the thread.
//!
//! What it does: finds the data a draft asks for (a sentence with a request — "please send",
//! «уточните», «изпратете» — or a question mark, naming a kind of data from
//! `rules/<lang>/data-kinds.toml`: order, tracking, ticket or account number, e-mail, phone,
//! name, address, login, link, screenshot or other attachment, device, OS, error text) and
//! looks for that kind among what the customer gave anywhere in the thread, quoted trails and
//! signatures included: reference numbers (their kind told by the words around them), e-mail
//! addresses, phones, links, attached files and "I attached", device names, a name under a
//! sign-off, "my username is ...". A request that repeats the given value ("is 48213 the
//! right order?") is a confirmation and stays quiet. The finding points at the request, with
//! a label on where the datum was given and the value in the help.
//!
//! Why: the customer has to repeat themselves and learns that nobody read the thread.
//! Seed 000: «Прежде чем запросить информацию, проверьте, нет ли ее в самом обращении».
//!
//! Bad:  customer "My order #48213 hasn't arrived." / draft "Please send your order number."
//! Good: draft "I checked order 48213: it left the warehouse today and arrives Friday."
//!
//! Options: none.

use std::collections::HashSet;

use crate::analysis::signals::{self, Given};
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct RedundantRequest;

impl Rule for RedundantRequest {
    fn id(&self) -> &'static str {
        "redundant-request"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "asks for data the customer already gave in the thread"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let lex = cx.lexicons(draft);
        let requests = signals::data_requests(draft, &lex);
        if requests.is_empty() {
            return;
        }
        let mut given: Vec<Given> = Vec::new();
        for message in cx.customer_messages() {
            given.extend(signals::given_data(message, &cx.lexicons(message)));
        }
        let mut reported: HashSet<&str> = HashSet::new();
        for request in &requests {
            let Some(datum) = given.iter().find(|g| signals::satisfies(g, &request.kind)) else {
                continue;
            };
            if !reported.insert(request.kind.as_str()) {
                continue;
            }
            let sentence_text = draft.text_at(draft.sentences[request.sentence].original.clone());
            let repeats_value = datum.value.as_deref().is_some_and(|v| {
                v.len() >= 3 && sentence_text.contains(v.trim_start_matches(['#', '№']))
            });
            if repeats_value {
                continue;
            }
            let what = describe(&request.kind);
            let given_in = datum.message + 1;
            let mut finding = cx
                .diagnostic(
                    draft.words_span(request.words.clone()),
                    format!("asks for {what}, which the customer gave in message {given_in}"),
                )
                .with_help(match &datum.value {
                    Some(value) if value.chars().count() <= 60 => {
                        format!("use {value} from the thread")
                    }
                    _ => format!("use the {what} from message {given_in}"),
                });
            if datum.span.end > datum.span.start {
                finding = finding.with_label(datum.message, datum.span.clone(), "given here");
            }
            out.push(finding);
        }
    }
}

fn describe(kind: &str) -> &str {
    match kind {
        "order" => "the order number",
        "tracking" => "the tracking number",
        "ticket" => "the reference number",
        "account" => "the account or contract number",
        "email" => "the e-mail address",
        "phone" => "the phone number",
        "name" => "the name",
        "address" => "the address",
        "login" => "the login",
        "link" => "the link",
        "screenshot" => "a screenshot or file",
        "device" => "the device",
        "os" => "the system or app version",
        "error" => "the error text",
        "card" => "the card number",
        other => other,
    }
}
