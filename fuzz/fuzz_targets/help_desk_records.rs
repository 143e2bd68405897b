//! Any bytes read as a JSON Lines record, a CSV export or a Zendesk, Intercom or Freshdesk
//! export give threads or bad-record errors, never a panic; the threads they give are
//! audited (with redaction, which rewrites excerpts around masked data) without one either.

#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use replylint::audit::formats::{self, InputFormat};
use replylint::audit::{self, AuditOptions, OutputFormat};
use replylint::report::Style;
use replylint::{FailOn, Linter};

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(Linter::new)
}

fuzz_target!(|data: &[u8]| {
    let source: Arc<str> = Arc::from("fuzz");
    let options = AuditOptions {
        inputs: Vec::new(),
        input_format: None,
        columns: Default::default(),
        output: OutputFormat::Jsonl,
        redact: data.first().is_some_and(|b| b & 1 == 1),
        fail_on: FailOn::Never,
        style: Style {
            color: false,
            width: 80,
        },
        summary_to_stderr: false,
        report: None,
        progress: false,
    };
    let _ = formats::detect(data);
    let mut threads = vec![formats::jsonl::parse_line(&source, 1, data)];
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        for format in [
            InputFormat::Zendesk,
            InputFormat::Intercom,
            InputFormat::Freshdesk,
        ] {
            threads.extend(formats::threads_from_value(
                format,
                value.clone(),
                &source,
                Some(1),
            ));
        }
    }
    // The same bytes as a spreadsheet export, with the default column names.
    let reader = formats::csv::reader(data, formats::csv::delimiter(data));
    let _ = formats::csv::read_all(&source, reader, &Default::default(), &mut |thread| {
        threads.push(thread);
        true
    });
    for thread in threads.into_iter().flatten() {
        let _ = audit::audit_thread(linter(), &thread, &options);
    }
});
