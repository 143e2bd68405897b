//! `replylint audit`: every agent reply of many conversations, from JSON Lines, CSV or
//! help-desk exports, to per-conversation findings, a summary and an HTML report.
//!
//! The work streams: a reader thread reads records in batches (a bounded channel holds at
//! most two), the batch is parsed and linted on every core (rayon), and the results are
//! written in input order. Each thread is analysed once ([`Linter::analyse`]) and every agent
//! reply checked against it, as [`Linter::audit`] does.

pub mod formats;
pub mod read;
pub mod redact;
pub mod report_html;
pub mod summary;

use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::EntityKind;
use crate::config::FailOn;
use crate::conversation::{AuthorKind, Role};
use crate::diagnostic::{Diagnostic, Severity};
use crate::language::Lang;
use crate::linter::Linter;
use crate::report::{self, Style};
pub use formats::csv::CsvColumns;
pub use formats::{BadRecord, InputFormat, Thread};
pub use summary::Summary;

/// What goes to standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Findings rendered for people, then a tally.
    Human,
    /// One line per conversation: `{"id": ..., "diagnostics": [...]}` (the contract).
    Json,
    /// One finding per line.
    Jsonl,
    /// One finding per row.
    Csv,
    /// Only the summary.
    Summary,
}

/// Everything an audit run needs besides the linter.
pub struct AuditOptions {
    pub inputs: Vec<String>,
    pub input_format: Option<InputFormat>,
    pub columns: CsvColumns,
    pub output: OutputFormat,
    pub redact: bool,
    pub fail_on: FailOn,
    pub style: Style,
    /// Also print the summary on standard error (standard output stays machine-readable).
    pub summary_to_stderr: bool,
    pub report: Option<PathBuf>,
    /// Show a progress bar on standard error.
    pub progress: bool,
}

/// How a run ended.
pub struct AuditResult {
    pub summary: Summary,
    /// A finding at or above the fail level was seen.
    pub failing: bool,
}

/// One agent reply, as the summary counts it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub message_index: usize,
    pub agent: String,
    pub bot: bool,
    pub lang: Lang,
    /// `YYYY-MM-DD`, when the message has a timestamp.
    pub date: Option<String>,
}

/// A finding shown as an example: the reply around the span (redacted when asked).
#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    pub before: String,
    pub text: String,
    pub after: String,
}

impl Excerpt {
    /// One line: the span between ⟦ and ⟧.
    pub fn flat(&self) -> String {
        format!("{}⟦{}⟧{}", self.before, self.text, self.after)
    }
}

/// One finding as the summary and report see it.
#[derive(Debug, Clone)]
pub struct FindingStat {
    pub rule: String,
    pub severity: Severity,
    /// Index into [`ThreadStats::replies`].
    pub reply: usize,
    pub message: String,
    pub excerpt: Excerpt,
}

/// What a linted conversation contributes to the summary.
#[derive(Debug, Clone)]
pub struct ThreadStats {
    pub id: String,
    pub location: String,
    pub channel: String,
    pub replies: Vec<Reply>,
    pub findings: Vec<FindingStat>,
}

/// The result of linting one conversation: its output, ready to write, and its statistics.
pub struct Outcome {
    pub out: Vec<u8>,
    pub stats: ThreadStats,
    pub failing: bool,
}

/// Characters of context on each side of an excerpt, and at most shown of a span.
const CONTEXT: usize = 60;
const SPAN_SHOWN: usize = 240;

/// Lints every agent reply of a thread and renders its output.
pub fn audit_thread(linter: &Linter, thread: &Thread, options: &AuditOptions) -> Outcome {
    let conversation = &thread.conversation;
    let analysis = linter.analyse(conversation);
    let mut diagnostics = Vec::new();
    let mut replies = Vec::new();
    let mut reply_of = vec![usize::MAX; conversation.messages.len()];
    for (index, message) in conversation.messages.iter().enumerate() {
        if message.role != Role::Agent {
            continue;
        }
        reply_of[index] = replies.len();
        replies.push(Reply {
            message_index: index,
            agent: message.author.clone().unwrap_or_else(|| "(unknown)".into()),
            bot: message.author_kind == Some(AuthorKind::Bot),
            lang: analysis.messages[index].lang,
            date: message.created_at.as_deref().and_then(summary::date_of),
        });
        diagnostics.extend(linter.check_analysed(&analysis, index));
    }
    let id_value = match (&conversation.id, thread.line) {
        (Some(id), _) => serde_json::Value::String(id.clone()),
        (None, Some(line)) => serde_json::Value::from(line),
        (None, None) => serde_json::Value::Null,
    };
    let id = match &id_value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let location = match thread.line {
        Some(line) => format!("{}:{line}", thread.source),
        None => thread.source.to_string(),
    };
    let failing = diagnostics
        .iter()
        .any(|d| options.fail_on.fails(d.severity));

    // Excerpts, from the text as linted, with the data masked when asked.
    let sensitive = |index: usize| -> Vec<(Range<usize>, EntityKind)> {
        if !options.redact {
            return Vec::new();
        }
        analysis.messages[index]
            .entities
            .iter()
            .filter(|e| redact::is_sensitive(e.kind))
            .map(|e| (e.original.clone(), e.kind))
            .collect()
    };
    let findings: Vec<FindingStat> = diagnostics
        .iter()
        .map(|d| {
            let text = &conversation.messages[d.message_index].text;
            FindingStat {
                rule: d.rule.clone(),
                severity: d.severity,
                reply: reply_of[d.message_index],
                message: if options.redact {
                    redact::redact_text(&d.message).into_owned()
                } else {
                    d.message.clone()
                },
                excerpt: excerpt(text, d.span.range(), &sensitive(d.message_index)),
            }
        })
        .collect();

    // A finding takes a few hundred bytes in any format: one allocation, not a regrowth per
    // field.
    let mut out = Vec::with_capacity(if diagnostics.is_empty() {
        32
    } else {
        512 * diagnostics.len()
    });
    if options.output == OutputFormat::Human {
        let redacted;
        let shown_conversation = if options.redact {
            let mut copy = conversation.clone();
            for (index, message) in copy.messages.iter_mut().enumerate() {
                message.text = redact::masked_in_place(&message.text, &sensitive(index));
            }
            redacted = copy;
            &redacted
        } else {
            conversation
        };
        for d in &diagnostics {
            let mut shown = d.clone();
            redact_diagnostic(&mut shown, options.redact);
            let name = format!("{location} ({id})");
            let _ = write!(
                out,
                "{}",
                report::render(&shown, shown_conversation, &name, options.style)
            );
        }
    }
    // Spans of HTML bodies point into the HTML as stored.
    for d in &mut diagnostics {
        to_original(d, thread);
        redact_diagnostic(d, options.redact);
    }
    let stats = ThreadStats {
        id,
        location,
        channel: conversation
            .channel
            .clone()
            .unwrap_or_else(|| "(none)".into()),
        replies,
        findings,
    };
    match options.output {
        OutputFormat::Json => {
            #[derive(Serialize)]
            struct Record<'a> {
                id: &'a serde_json::Value,
                diagnostics: &'a [Diagnostic],
            }
            let record = Record {
                id: &id_value,
                diagnostics: &diagnostics,
            };
            let _ = serde_json::to_writer(&mut out, &record);
            out.push(b'\n');
        }
        OutputFormat::Jsonl => {
            for (d, f) in diagnostics.iter().zip(&stats.findings) {
                let reply = &stats.replies[f.reply];
                let line = FindingLine {
                    conversation: &id_value,
                    agent: &reply.agent,
                    author_kind: if reply.bot { "bot" } else { "human" },
                    channel: &stats.channel,
                    lang: reply.lang.code(),
                    created_at: conversation.messages[d.message_index].created_at.as_deref(),
                    diagnostic: d,
                    excerpt: f.excerpt.flat(),
                };
                let _ = serde_json::to_writer(&mut out, &line);
                out.push(b'\n');
            }
        }
        OutputFormat::Csv => {
            let mut writer = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(&mut out);
            for (d, f) in diagnostics.iter().zip(&stats.findings) {
                let index = d.message_index.to_string();
                let _ = writer.write_record([
                    stats.id.as_str(),
                    index.as_str(),
                    stats.replies[f.reply].agent.as_str(),
                    d.rule.as_str(),
                    d.severity.as_str(),
                    d.message.as_str(),
                    f.excerpt.flat().as_str(),
                ]);
            }
            let _ = writer.flush();
        }
        OutputFormat::Human | OutputFormat::Summary => {}
    }
    Outcome {
        out,
        stats,
        failing,
    }
}

/// The header row of `--format csv`.
pub const CSV_HEADER: &str = "conversation,message_index,agent,rule,severity,message,excerpt\n";

/// One line of `--format jsonl`: the diagnostic's fields with where it was found.
#[derive(Serialize)]
struct FindingLine<'a> {
    conversation: &'a serde_json::Value,
    agent: &'a str,
    author_kind: &'static str,
    channel: &'a str,
    lang: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<&'a str>,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    excerpt: String,
}

fn redact_diagnostic(d: &mut Diagnostic, redact: bool) {
    if !redact {
        return;
    }
    d.message = redact::redact_text(&d.message).into_owned();
    d.help = redact::redact_text(&d.help).into_owned();
    for label in &mut d.labels {
        label.text = redact::redact_text(&label.text).into_owned();
    }
}

/// Maps the spans of findings on HTML bodies back into the HTML, and recomputes line and column.
fn to_original(d: &mut Diagnostic, thread: &Thread) {
    let html = |i: usize| thread.html.get(i).and_then(Option::as_ref);
    if html(d.message_index).is_none() && d.labels.iter().all(|l| html(l.message_index).is_none()) {
        return;
    }
    if let Some(body) = html(d.message_index) {
        d.span = body.extracted.to_html(d.span.range()).into();
    }
    for label in &mut d.labels {
        if let Some(body) = html(label.message_index) {
            label.span = body.extracted.to_html(label.span.range()).into();
        }
    }
    let text_of = |i: usize| match html(i) {
        Some(body) => Some(body.original.as_str()),
        None => thread.conversation.messages.get(i).map(|m| m.text.as_str()),
    };
    d.locate(text_of);
}

/// The text around a span, on one line, at most [`CONTEXT`] characters each side.
pub fn excerpt(
    text: &str,
    span: Range<usize>,
    sensitive: &[(Range<usize>, EntityKind)],
) -> Excerpt {
    let start = floor_char(text, span.start.min(text.len()));
    let end = floor_char(text, span.end.min(text.len())).max(start);
    let before_start = text[..start]
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(0, |(i, _)| i);
    let shown_end = text[start..end]
        .char_indices()
        .nth(SPAN_SHOWN)
        .map_or(end, |(i, _)| start + i);
    let after_end = text[end..]
        .char_indices()
        .nth(CONTEXT)
        .map_or(text.len(), |(i, _)| end + i);
    let flat = |s: String| s.replace(['\n', '\r', '\t'], " ");
    let mut shown = flat(redact::masked(text, start..shown_end, sensitive));
    if shown_end < end {
        shown.push('…');
    }
    let mut before = flat(redact::masked(text, before_start..start, sensitive));
    if before_start > 0 {
        before.insert(0, '…');
    }
    let mut after = flat(redact::masked(text, end..after_end, sensitive));
    if after_end < text.len() {
        after.push('…');
    }
    Excerpt {
        before,
        text: shown,
        after,
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Records per batch, and bytes per batch: enough to keep both cores busy, small enough
/// that memory stays flat.
const BATCH_RECORDS: usize = 512;
const BATCH_BYTES: usize = 2 * 1024 * 1024;

/// Batches being linted at once: one being finished while the next starts.
const BATCHES_IN_FLIGHT: usize = 2;

/// Runs an audit: checks the inputs (errors here come before any work), then streams them
/// through the linter, writing results to `out` in input order and bad records to `errors`.
pub fn run(
    linter: &Linter,
    options: &AuditOptions,
    out: &mut dyn Write,
    errors: &mut dyn Write,
) -> Result<AuditResult, String> {
    let inputs = read::prepare(&options.inputs, options.input_format, &options.columns)?;
    if let Some(path) = &options.report {
        report_html::check_destination(path)?;
    }
    let total: Option<u64> = inputs.iter().map(|i| i.size).sum();
    let progress = progress_bar(options.progress, total);
    let read_bytes = Arc::new(AtomicU64::new(0));
    let mut summary = Summary::new(options.redact);
    let mut failing = false;
    if options.output == OutputFormat::Csv {
        let _ = out.write_all(CSV_HEADER.as_bytes());
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<read::Work>>(2);
    let columns = options.columns.clone();
    let counter = read_bytes.clone();
    let bar = progress.clone();
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::new();
        let mut weight = 0;
        let counted = move |n: u64| {
            counter.fetch_add(n, Ordering::Relaxed);
            bar.inc(n);
        };
        let mut emit = |work: read::Work| {
            weight += work.weight();
            batch.push(work);
            if batch.len() >= BATCH_RECORDS || weight >= BATCH_BYTES {
                weight = 0;
                sender.send(std::mem::take(&mut batch)).is_ok()
            } else {
                true
            }
        };
        read::produce(inputs, &columns, counted, &mut emit);
        if !batch.is_empty() {
            let _ = sender.send(batch);
        }
    });
    let mut closed = false;
    // Batches are linted on the pool while this thread writes the results of the batch
    // before, in input order: the writing, the summary and the last records of a batch
    // (when one core would otherwise wait for the other) overlap the next batch's work.
    let (done, finished) = std::sync::mpsc::channel::<(usize, Vec<Result<Outcome, BadRecord>>)>();
    rayon::in_place_scope(|scope| {
        let mut batches = receiver.into_iter().enumerate();
        let mut in_flight = 0;
        let mut exhausted = false;
        let mut waiting: std::collections::BTreeMap<usize, Vec<Result<Outcome, BadRecord>>> =
            Default::default();
        let mut next = 0;
        loop {
            while in_flight < BATCHES_IN_FLIGHT && !exhausted {
                let Some((number, batch)) = batches.next() else {
                    exhausted = true;
                    break;
                };
                let done = done.clone();
                scope.spawn(move |_| {
                    let results: Vec<Result<Outcome, BadRecord>> = batch
                        .into_par_iter()
                        .map(|work| {
                            work.parse()
                                .into_iter()
                                .map(|parsed| {
                                    parsed.map(|thread| audit_thread(linter, &thread, options))
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                        .into_iter()
                        .flatten()
                        .collect();
                    let _ = done.send((number, results));
                });
                in_flight += 1;
            }
            if in_flight == 0 {
                break;
            }
            let Ok((number, results)) = finished.recv() else {
                break;
            };
            in_flight -= 1;
            waiting.insert(number, results);
            while let Some(results) = waiting.remove(&next) {
                next += 1;
                for result in results {
                    match result {
                        Ok(outcome) => {
                            failing |= outcome.failing;
                            if !closed && out.write_all(&outcome.out).is_err() {
                                // Output closed (e.g. piped into `head`): keep counting, stop
                                // writing.
                                closed = true;
                            }
                            summary.add(outcome.stats);
                        }
                        Err(bad) => {
                            let _ = writeln!(errors, "error: {bad}");
                            summary.add_bad(&bad);
                        }
                    }
                }
                progress.set_message(format!(
                    "{} records",
                    summary.conversations + summary.bad_records
                ));
            }
            if closed && options.report.is_none() && !options.summary_to_stderr {
                // Stop reading; what is in flight finishes before the scope ends.
                exhausted = true;
            }
        }
        // Ends the reader: its next send fails.
        drop(batches);
    });
    let _ = reader.join();
    progress.finish_and_clear();
    summary.bytes = read_bytes.load(Ordering::Relaxed);
    match options.output {
        OutputFormat::Summary => {
            let _ = out.write_all(summary.render_text().as_bytes());
        }
        OutputFormat::Human => {
            let _ = out.write_all(summary.render_tally().as_bytes());
        }
        _ => {}
    }
    let _ = out.flush();
    if options.summary_to_stderr {
        let _ = errors.write_all(summary.render_text().as_bytes());
    }
    if let Some(path) = &options.report {
        report_html::write_report(path, &summary)?;
    }
    Ok(AuditResult { summary, failing })
}

fn progress_bar(show: bool, total: Option<u64>) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    if !show {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if total.is_some() {
        "{spinner} {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}"
    } else {
        "{spinner} {binary_bytes} {binary_bytes_per_sec} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Prints progress only where someone can see it.
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    io::stderr().is_terminal()
}
