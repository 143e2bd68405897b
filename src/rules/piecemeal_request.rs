//! piecemeal-request: asks for data in a follow-up that could have been asked for at once, in the earlier request.
//!
//! What it does: when the agent's last message asked the customer for data (a round of
//! questions still going on, not a booking done and a new task begun) and the customer has
//! answered since, it reports a draft that asks for a new kind of data (the shared
//! data-request signal: order number, photo, address, phone, receipt...) that the earlier
//! requests did not name. It stays quiet when the draft asks again for the
//! same kinds (a reminder, a double check), offers another way to give the same thing
//! ("instead", «вместо», „вместо това“, `rules/<lang>/piecemeal.toml`), falls back on other
//! data when the first did not work («аккаунта с такой почтой нет — помните телефон?»),
//! names the datum itself («назовите в пункте номер заказа 51230»), or asks about
//! something the customer's latest answer brought up for the first time (a second order, a
//! new charge, an office address): that request could not have been foreseen.
//!
//! Why: each extra round trip costs the customer hours and patience. Seed 000 names
//! «растягивать сбор информации на 2–3 сообщения» among the mistakes: ask for everything
//! you need in one message.
//!
//! Bad:  agent "What's your order number?" / customer "HS-40718." / draft "Thanks. Could you
//!       also send a photo of the crack?"
//! Good: first agent message "Could you send the order number and a photo of the crack?"
//!
//! Options: none.

use rustc_hash::FxHashSet;

use crate::analysis::signals;
use crate::conversation::Role;
use crate::diagnostic::{Diagnostic, Severity};

use super::{Context, Rule};

pub struct PiecemealRequest;

impl Rule for PiecemealRequest {
    fn id(&self) -> &'static str {
        "piecemeal-request"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "asks in a follow-up for data that could have been asked for at once"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let earlier = cx.earlier();
        // Earlier agent requests, followed by a customer answer.
        let Some(last_agent) = earlier.iter().rposition(|m| m.role == Role::Agent) else {
            return;
        };
        if !earlier[last_agent..]
            .iter()
            .any(|m| m.role == Role::Customer)
        {
            return;
        }
        // The round of questions must still be going on: after a reply that asked for
        // nothing ("your table is booked"), the customer's next message starts something
        // new, and what the draft asks for it could not have been asked before.
        if signals::data_requests(&earlier[last_agent], cx.lexicons(&earlier[last_agent]))
            .is_empty()
        {
            return;
        }
        let mut asked: FxHashSet<String> = FxHashSet::default();
        for message in earlier.iter().filter(|m| m.role == Role::Agent) {
            let lex = cx.lexicons(message);
            asked.extend(
                signals::data_requests(message, lex)
                    .iter()
                    .map(|r| r.kind.clone()),
            );
        }
        let lex = cx.lexicons(draft);
        let requests = signals::data_requests(draft, lex);
        if requests.is_empty() {
            return;
        }
        if let Some(fallback) = cx.lexicons(draft).piecemeal
            && draft.own_hits_of(Some(fallback)).next().is_some()
        {
            return;
        }
        // What the customer's latest turn brought up for the first time.
        let mut before: FxHashSet<&str> = FxHashSet::default();
        for message in &earlier[..=last_agent] {
            before.extend(message.words.iter().map(|w| w.stem.as_str()));
        }
        let mut fresh: FxHashSet<&str> = FxHashSet::default();
        let mut latest_words = 0;
        for message in cx.latest_customer() {
            latest_words += message.own_word_count();
            let content: Vec<&str> = message.content_stems(0..message.words.len()).collect();
            fresh.extend(content.into_iter().filter(|s| !before.contains(s)));
        }
        for request in requests {
            if asked.contains(&request.kind) {
                continue;
            }
            let sentence = &draft.sentences[request.sentence];
            // A sentence that spells the datum out asks for nothing: "name order 51230 at
            // the counter", "is your number still 0888 123 456?".
            if draft.entities.iter().any(|e| {
                e.own
                    && sentence.original.start <= e.original.start
                    && e.original.end <= sentence.original.end
            }) {
                continue;
            }
            // A longer answer with news in it may have raised the question.
            let follows_news = latest_words > 8
                && draft
                    .content_stems(sentence.words.clone())
                    .any(|s| fresh.contains(s));
            if follows_news {
                continue;
            }
            out.push(
                cx.diagnostic(
                    sentence.original.clone(),
                    format!(
                        "asks for the {} in a follow-up; it could have been asked for together with the earlier request",
                        request.kind
                    ),
                )
                .with_help("ask for everything you will need in one message"),
            );
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Message;

    fn fired(messages: Vec<Message>) -> usize {
        crate::rules::testing::findings_in_thread("piecemeal-request", messages)
    }

    #[test]
    fn flags_a_second_round_of_questions() {
        assert_eq!(
            fired(vec![
                Message::customer("The vase I ordered arrived cracked."),
                Message::agent("Sorry! Could you send me your order number?"),
                Message::customer("Sure, it's HS-40718."),
                Message::agent("Thanks. Could you also send a photo of the crack?"),
            ]),
            1
        );
    }

    #[test]
    fn a_new_task_after_a_finished_one_is_no_second_round() {
        // The earlier request was answered and the booking done; the customer's next
        // message starts something new.
        assert_eq!(
            fired(vec![
                Message::customer("Можно забронировать столик в Golden Wok?"),
                Message::agent("Конечно. На сколько человек?"),
                Message::customer("На четверых."),
                Message::agent("Готово, столик забронирован, номер брони 4DHJ0F6T."),
                Message::customer("Спасибо. Ещё мне нужен поезд до Кембриджа."),
                Message::agent("В какой день вы хотите поехать?"),
            ]),
            0
        );
        // An offer asked for nothing: «вам нужен их адрес?» starts no round of questions.
        assert_eq!(
            fired(vec![
                Message::customer("Tell me about the Golden Wok restaurant."),
                Message::agent(
                    "It's in the north, moderately priced. Would you like their phone number or address?"
                ),
                Message::customer("No, I'd like to book a table."),
                Message::agent("Happy to. For what day and how many people?"),
            ]),
            0
        );
    }

    #[test]
    fn reminders_and_first_requests_are_fine() {
        assert_eq!(
            fired(vec![
                Message::customer("The lamp arrived broken."),
                Message::agent("Could you send me your order number and a photo?"),
                Message::customer("Order HS-51203."),
                Message::agent("Thanks. I still need the photo of the broken shade."),
            ]),
            0
        );
        assert_eq!(
            fired(vec![
                Message::customer("The lamp arrived broken."),
                Message::agent("Could you send me your order number and a photo?"),
            ]),
            0
        );
    }
}
