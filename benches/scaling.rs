//! `cargo bench --bench scaling`: the cost of auditing one conversation grows in proportion
//! to its size. Long threads (up to 2,000 messages) and long messages (up to 1 MB) are built
//! from the example conversations; criterion prints throughput per size, which stays flat
//! when the cost is linear.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use replylint::{Conversation, Linter, Message, input};

/// The messages of the three example threads, in order.
fn example_messages() -> Vec<Message> {
    [
        include_str!("../examples/refund.json"),
        include_str!("../examples/ru-delivery.json"),
        include_str!("../examples/bg-payment.json"),
    ]
    .into_iter()
    .flat_map(|text| {
        input::parse_thread("example", text, 0)
            .expect("example parses")
            .messages
    })
    .collect()
}

/// A thread of `count` messages, customer and agent in turn, in the three languages.
fn long_thread(count: usize) -> Conversation {
    let pool = example_messages();
    let messages = (0..count)
        .map(|i| {
            let text = pool[i % pool.len()].text.clone();
            if i % 2 == 0 {
                Message::customer(text)
            } else {
                Message::agent(text)
            }
        })
        .collect();
    Conversation::new(messages)
}

/// A customer message and an agent reply of about `bytes` bytes each.
fn long_messages(bytes: usize) -> Conversation {
    let pool: Vec<String> = example_messages().into_iter().map(|m| m.text).collect();
    let mut text = String::new();
    for piece in pool.iter().cycle() {
        if text.len() >= bytes {
            break;
        }
        text.push_str(piece);
        text.push_str("\n\n");
    }
    Conversation::new(vec![Message::customer(text.clone()), Message::agent(text)])
}

fn size(thread: &Conversation) -> u64 {
    thread.messages.iter().map(|m| m.text.len() as u64).sum()
}

fn bench(c: &mut Criterion) {
    let linter = Linter::new();
    let mut group = c.benchmark_group("audit/thread-length");
    group.sample_size(10);
    for count in [250, 500, 1000, 2000] {
        let thread = long_thread(count);
        group.throughput(Throughput::Bytes(size(&thread)));
        group.bench_with_input(BenchmarkId::from_parameter(count), &thread, |b, thread| {
            b.iter(|| linter.audit(black_box(thread)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("audit/message-bytes");
    group.sample_size(10);
    for bytes in [125_000, 250_000, 500_000, 1_000_000] {
        let thread = long_messages(bytes);
        group.throughput(Throughput::Bytes(size(&thread)));
        group.bench_with_input(BenchmarkId::from_parameter(bytes), &thread, |b, thread| {
            b.iter(|| linter.audit(black_box(thread)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
