//! unfilled-placeholder: template variables left in the draft ({{name}}, [CUSTOMER NAME], %ORDER_ID%).
//!
//! What it does: finds template-variable shapes in the draft (outside quoted e-mail trails):
//! `{{first_name}}`, `{name}`, `${amount}`, `%ORDER_ID%`, `[ИМЯ КЛИЕНТА]`, `<customer name>`,
//! `[insert date]`, a date mask such as `ХХ.ХХ`, and a lone `X` or `N` where a number belongs
//! ("within X business days", «в течение N рабочих дней»), or a run of X next to a currency
//! or amount word or sign ("ХХХ руб.", "$XX.XX", "XX лв."). Square and angle brackets count
//! only when they hold capitals or a placeholder word (`rules/<lang>/placeholder-words.toml`:
//! name, date, link, insert, amount...), so a button label like `[Save changes]` or an
//! e-mail address in `<…>` stays quiet. A shape that is mentioned rather than left unfilled
//! stays quiet too: inside Markdown code or next to code (`/v1/orders/{order_id}/cancel`,
//! `${HOME}/backups`), in
//! quotation marks ("Dear {{name}}" quoted back to a customer who complained about it), or
//! the same text written elsewhere in the draft in such a place. The help names the value
//! from the thread where there is one: the customer's signed name, the order number they gave.
//!
//! Why: a reply that greets "Dear [CUSTOMER NAME]" tells the customer they got a form
//! letter that nobody read. Seed 000: «Шаблоны ответов — это не способ побыстрее избавиться
//! от обращения, а всего лишь заготовка, которую обязательно нужно адаптировать под ситуацию».
//!
//! Bad:  customer "... Regards, Michael Grant" / draft "Hi {{first_name}}, sorry about the
//!       missing cartridge."
//! Good: draft "Hi Michael, sorry about the missing cartridge."
//!
//! Bad:  draft «Заказ %НОМЕР_ЗАКАЗА% передали в доставку.»
//! Good: draft «Заказ 88214 передали в доставку.»
//!
//! Options: none. Placeholder words live in `rules/<lang>/placeholder-words.toml`.

use unicode_segmentation::UnicodeSegmentation;

use crate::analysis::signals::{self, SlotShape, TemplateSlot};
use crate::analysis::{EntityKind, MessageAnalysis, normalize};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lexicon::LanguagePack;

use super::{Context, Rule};

pub struct UnfilledPlaceholder;

impl Rule for UnfilledPlaceholder {
    fn id(&self) -> &'static str {
        "unfilled-placeholder"
    }

    fn default_severity(&self) -> Severity {
        Severity::Error
    }

    fn summary(&self) -> &'static str {
        "template variables left unfilled in the draft"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let pack = cx.pack(draft);
        let words_lexicon = cx.lexicons(draft).placeholder_words;
        let slots = signals::template_slots(draft);
        // What was reported already: a handful at most, so a list.
        let mut reported: Vec<&str> = Vec::new();
        let mut report_once = |written| {
            let new = !reported.contains(&written);
            if new {
                reported.push(written);
            }
            new
        };
        // Markdown code (`^[A-Z]{2}$`, a fenced snippet) holds syntax, not template slots.
        let code = if slots.is_empty() {
            Vec::new()
        } else {
            super::shouting::code_spans(draft.original)
        };
        let in_code = |slot: &TemplateSlot| {
            code.iter()
                .any(|c| c.start <= slot.span.start && slot.span.end <= c.end)
        };
        // Text written in a code or quoted place is mentioned, wherever else it appears
        // ("replace {API_KEY} with your key" under a snippet that holds it).
        let mentioned: Vec<&str> = slots
            .iter()
            .filter(|s| s.code || s.quoted || in_code(s))
            .map(|s| draft.text_at(s.span.clone()))
            .collect();
        // A sentence that calls its slot a variable or a pattern shows syntax to type ("use
        // the pattern {YYYY}-{MM}-{DD}"), it has nothing left to fill.
        let syntax_sentences: Vec<usize> = draft
            .own_hits_of(words_lexicon)
            .filter(|h| pack.term(h).tag.as_deref() == Some("syntax"))
            .map(|h| draft.words[h.words.start].sentence)
            .collect();
        let shown_as_syntax = |slot: &TemplateSlot| {
            draft
                .words
                .iter()
                .find(|w| w.original.end > slot.span.start)
                .is_some_and(|w| syntax_sentences.contains(&w.sentence))
        };
        for slot in slots {
            let written = draft.text_at(slot.span.clone());
            if slot.code
                || slot.quoted
                || in_code(slot)
                || mentioned.contains(&written)
                || cx.customer_messages().any(|m| m.original.contains(written))
                || shown_as_syntax(slot)
            {
                continue;
            }
            let tag = slot_tag(draft, slot, pack, words_lexicon);
            if !is_placeholder(draft, slot, tag.is_some()) || !report_once(written) {
                continue;
            }
            out.push(
                cx.diagnostic(
                    slot.span.clone(),
                    format!("`{written}` is an unfilled template variable"),
                )
                .with_help(help(cx, tag.as_deref())),
            );
        }
        // A lone X or N where a number belongs: "within X business days".
        let units = cx.lexicons(draft).time_frames;
        for hit in draft.own_hits_of(units) {
            if pack.term(hit).tag.as_deref() != Some("unit") || hit.words.start == 0 {
                continue;
            }
            let before = &draft.words[hit.words.start - 1];
            let written = draft.text_at(before.original.clone());
            if before.sentence == draft.words[hit.words.start].sentence
                && matches!(written, "X" | "N" | "Х" | "Н" | "XX" | "ХХ" | "NN")
                && report_once(written)
            {
                let span = draft.words_span(hit.words.start - 1..hit.words.end);
                out.push(
                    cx.diagnostic(span, format!("`{written}` stands where a number belongs"))
                        .with_help("put in the actual number before sending"),
                );
            }
        }
        // X where an amount belongs: "ХХХ руб.", "XX лв.", "$XX.XX", «сумма ХХХ».
        let bytes = draft.original.as_bytes();
        if memchr::memchr(b'X', bytes).is_none()
            && crate::analysis::char_positions(bytes, 'Х').next().is_none()
        {
            return;
        }
        let amount_words: Vec<usize> = draft
            .own_hits_of(words_lexicon)
            .filter(|h| pack.term(h).tag.as_deref() == Some("amount"))
            .flat_map(|h| h.words.clone())
            .collect();
        let quoted = signals::quotations(draft);
        for (i, word) in draft.words.iter().enumerate() {
            let written = draft.text_at(word.original.clone());
            if !word.own
                || !is_x_run(written)
                || quoted.iter().any(|q| q.contains(&word.original.start))
            {
                continue;
            }
            let neighbour_amount = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .any(|n| {
                    amount_words.contains(&n)
                        && draft
                            .words
                            .get(n)
                            .is_some_and(|w| w.sentence == word.sentence)
                });
            let before = draft.original[..word.original.start]
                .trim_end()
                .chars()
                .next_back();
            let after = draft.original[word.original.end..]
                .trim_start()
                .chars()
                .next();
            let symbol = [before, after]
                .into_iter()
                .flatten()
                .any(|c| matches!(c, '$' | '€' | '£' | '₽'));
            if (neighbour_amount || symbol) && report_once(written) {
                out.push(
                    cx.diagnostic(
                        word.original.clone(),
                        format!("`{written}` stands where an amount belongs"),
                    )
                    .with_help("put in the actual amount before sending"),
                );
            }
        }
    }
}

/// A run of X standing for digits: `XXX`, `ХХХ` (Cyrillic), `XX.XX`.
fn is_x_run(written: &str) -> bool {
    let mut xs = 0;
    for c in written.chars() {
        match c {
            'X' | 'Х' => xs += 1,
            '.' | ',' => {}
            _ => return false,
        }
    }
    (1..=8).contains(&xs)
}

/// Whether a slot reads as an unfilled variable rather than a label or markup.
fn is_placeholder(draft: &MessageAnalysis<'_>, slot: &TemplateSlot, has_word: bool) -> bool {
    let inner = draft.text_at(slot.inner.clone());
    let letters: Vec<char> = inner.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    match slot.shape {
        SlotShape::DoubleBrace | SlotShape::Dollar | SlotShape::Percent | SlotShape::Mask => true,
        SlotShape::Brace => inner.contains('_') || has_word || capitals,
        SlotShape::Square | SlotShape::Angle => capitals || has_word || inner.contains('_'),
    }
}

/// The placeholder word's tag (name, order, date, link...) for the words inside a slot.
fn slot_tag(
    draft: &MessageAnalysis<'_>,
    slot: &TemplateSlot,
    pack: &LanguagePack,
    lexicon: Option<usize>,
) -> Option<String> {
    let lexicon = lexicon?;
    let inner = draft.text_at(slot.inner.clone()).replace(['_', '-'], " ");
    let stems: Vec<String> = inner
        .unicode_words()
        .map(|w| pack.stemmer.stem(&normalize(w)))
        .collect();
    let refs: Vec<&str> = stems.iter().map(String::as_str).collect();
    let sentences = vec![0; refs.len()];
    let hits = pack.scan(&refs, &sentences);
    let mut found: Option<String> = None;
    for hit in hits.iter().filter(|h| h.lexicon == lexicon) {
        let tag = pack.term(hit).tag.as_deref().unwrap_or("value").to_string();
        if tag == "syntax" {
            continue;
        }
        // "insert date": the thing to insert says more than the verb.
        if found.is_none() || found.as_deref() == Some("insert") {
            found = Some(tag);
        }
    }
    found
}

fn help(cx: &Context<'_>, tag: Option<&str>) -> String {
    match tag {
        Some("name") => match customer_name(cx) {
            Some(name) => format!("the customer signed as \"{name}\": use their name"),
            None => "put in the customer's name, or greet without it".into(),
        },
        Some(kind @ ("order" | "tracking")) => match given_reference(cx, kind) {
            Some(value) => format!("the customer gave {value}: use it"),
            None => format!("put in the actual {kind} number before sending"),
        },
        Some("agent") => "sign with your own name".into(),
        Some(tag) if tag != "insert" && tag != "value" => {
            format!("put in the actual {tag} before sending")
        }
        _ => "fill in the actual value before sending".into(),
    }
}

/// The name under the customer's sign-off ("Regards,\nMichael Grant").
fn customer_name(cx: &Context<'_>) -> Option<String> {
    for message in cx.customer_messages().collect::<Vec<_>>().into_iter().rev() {
        let Some(signature) = &message.mail.signature else {
            continue;
        };
        let text = message.text_at(signature.clone());
        let line = text.lines().map(str::trim).rev().find(|l| !l.is_empty())?;
        let words: Vec<&str> = line.unicode_words().collect();
        if (1..=3).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !line.ends_with(',')
        {
            return Some(line.to_string());
        }
    }
    None
}

/// A reference number of this kind (or an unlabelled one) the customer gave.
fn given_reference(cx: &Context<'_>, kind: &str) -> Option<String> {
    for message in cx.customer_messages() {
        let lex = cx.lexicons(message);
        for given in signals::given_data(message, lex) {
            if signals::satisfies(given, kind) {
                return given.value.clone();
            }
        }
        if let Some(e) = message
            .entities
            .iter()
            .find(|e| e.kind == EntityKind::Reference)
        {
            return Some(e.text.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::{Conversation, Linter, Message};

    fn fired(customer: &str, draft: &str) -> Vec<String> {
        let thread = Conversation::new(vec![Message::customer(customer), Message::agent(draft)]);
        Linter::new()
            .check(&thread)
            .into_iter()
            .filter(|d| d.rule == "unfilled-placeholder")
            .map(|d| d.help)
            .collect()
    }

    #[test]
    fn flags_a_greeting_variable_and_names_the_customer() {
        let found = fired(
            "Hello,\n\nOne cartridge is missing from order 90117.\n\nRegards,\nMichael Grant",
            "Hi {{first_name}},\n\nSorry about that, a new one is on its way today.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("Michael Grant"), "{found:?}");
    }

    #[test]
    fn flags_x_where_an_amount_belongs() {
        assert_eq!(
            fired("Сколько вернут?", "Вам вернут ХХХ руб. на карту.").len(),
            1
        );
        assert_eq!(fired("How much?", "The refund is $XX.XX.").len(), 1);
        assert_eq!(fired("Какой размер?", "Есть размер XL и XXL.").len(), 0);
    }

    #[test]
    fn flags_bracketed_and_number_placeholders() {
        assert_eq!(
            fired(
                "Когда вернут деньги?",
                "Уважаемая [ИМЯ КЛИЕНТА]! Деньги придут в течение N рабочих дней."
            )
            .len(),
            2
        );
    }

    #[test]
    fn a_slot_shown_as_syntax_is_fine() {
        assert!(
            fired(
                "How do I format the date in the export?",
                "Use the pattern {YYYY}-{MM}-{DD} in the File name field, e.g. 2024-05-01."
            )
            .is_empty()
        );
        assert!(
            fired(
                "Как подставить номер заказа в письмо?",
                "В поле «Тема» вставьте переменную {номер_заказа}, система сама подставит номер."
            )
            .is_empty()
        );
        assert_eq!(
            fired(
                "Где мой заказ?",
                "Заказ {номер_заказа} передан в доставку. Шаблон письма обновим."
            )
            .len(),
            1
        );
    }

    #[test]
    fn code_and_labels_are_fine() {
        assert!(
            fired(
                "which endpoint cancels an order?",
                "Use POST /v1/orders/{order_id}/cancel, where {order_id} is the ID. Then tap [Save changes]."
            )
            .is_empty()
        );
    }

    #[test]
    fn a_slot_of_a_snippet_named_below_it_is_fine() {
        assert!(
            fired(
                "Може ли пример за заявка към API-то?",
                "Ето пример:\n\n```\nX-Api-Key: {API_KEY}\n```\n\nНа мястото на {API_KEY} сложете Вашия ключ."
            )
            .is_empty()
        );
        assert_eq!(
            fired(
                "Кога ще дойде техникът?",
                "Ето пример:\n\n```\nX-Api-Key: {API_KEY}\n```\n\nТехникът ще дойде на {ДАТА}."
            )
            .len(),
            1
        );
    }
}
