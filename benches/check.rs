//! `cargo bench --bench check`: in-process cost of linting a typical 1–2 KB conversation,
//! warm (a reused `Linter`, as a help desk runs it) and cold (building the linter and its
//! language data first, as one `replylint check` process does).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use replylint::{Linter, input};

fn threads() -> Vec<(&'static str, replylint::Conversation)> {
    let files = [
        ("en", include_str!("../examples/refund.json")),
        ("ru", include_str!("../examples/ru-delivery.json")),
        ("bg", include_str!("../examples/bg-payment.json")),
    ];
    files
        .into_iter()
        .map(|(name, text)| {
            (
                name,
                input::parse_thread(name, text, 0).expect("example parses"),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let linter = Linter::new();
    for (name, thread) in threads() {
        linter.check(&thread);
        c.bench_function(&format!("check/warm/{name}"), |b| {
            b.iter(|| linter.check(black_box(&thread)))
        });
        c.bench_function(&format!("check/cold/{name}"), |b| {
            b.iter(|| Linter::new().check(black_box(&thread)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
