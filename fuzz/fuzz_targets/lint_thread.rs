//! Any text in any of the three languages (or none), split into customer and agent turns,
//! is linted without a panic, and every span lies on character boundaries of its message.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use replylint::{Conversation, Linter, Message};

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(Linter::new)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let lang = [None, Some("en"), Some("ru"), Some("bg"), Some("xx")][usize::from(selector % 5)];
    // 0xFF never occurs in UTF-8: it separates the turns, which alternate and end with the
    // agent's draft.
    let texts: Vec<String> = rest
        .split(|&b| b == 0xFF)
        .take(6)
        .map(|part| String::from_utf8_lossy(part).into_owned())
        .collect();
    let count = texts.len();
    let messages = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            if (count - 1 - i) % 2 == 0 {
                Message::agent(text)
            } else {
                Message::customer(text)
            }
        })
        .collect();
    let mut thread = Conversation::new(messages);
    thread.lang = lang.map(str::to_string);
    for findings in [linter().check(&thread), linter().audit(&thread)] {
        for d in findings {
            let text = &thread.messages[d.message_index].text;
            let range = d.span.range();
            assert!(range.start <= range.end && range.end <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    }
});
