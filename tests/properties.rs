//! Whatever the input, the linter and the input reader never panic.

use proptest::prelude::*;
use replylint::{Conversation, Linter, Message, input};

fn linter() -> &'static Linter {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    LINTER.get_or_init(Linter::new)
}

fn support_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Zа-яА-ЯёъѝЁ0-9 .,!?\\n>#*_\\[\\]()<>{}@:/-]{0,300}",
        Just("> quoted\nOn Mon, Anna <a@b.c> wrote:\n> x".to_string()),
        Just("**[link](http://x)** `code` <b>html</b> &amp; \\*".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_messages_never_panic(customer in support_text(), draft in support_text(), lang in prop::option::of("en|ru|bg|xx")) {
        let mut thread = Conversation::new(vec![Message::customer(customer), Message::agent(draft.clone())]);
        thread.lang = lang;
        let findings = linter().check(&thread);
        for d in &findings {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= draft.len());
            prop_assert!(draft.is_char_boundary(d.span.start) && draft.is_char_boundary(d.span.end));
        }
        let _ = linter().audit(&thread);
    }

    #[test]
    fn arbitrary_json_never_panics(text in any::<String>()) {
        let _ = input::parse_thread("prop", &text, 0);
    }

    #[test]
    fn thread_shaped_json_never_panics(
        roles in prop::collection::vec(prop_oneof![Just("customer"), Just("agent"), Just("bot")], 0..5),
        texts in prop::collection::vec(support_text(), 5),
    ) {
        let messages: Vec<serde_json::Value> = roles
            .iter()
            .zip(&texts)
            .map(|(role, text)| serde_json::json!({"role": role, "text": text}))
            .collect();
        let json = serde_json::json!({"messages": messages}).to_string();
        if let Ok(thread) = input::parse_thread("prop", &json, 0) {
            let _ = linter().check(&thread);
            let _ = linter().audit(&thread);
        }
    }
}
