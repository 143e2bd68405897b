//! `replylint audit`: every input format, every output, error paths, redaction, order, and
//! the HTML report's structure.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit")
        .join(name)
        .display()
        .to_string()
}

fn replylint(dir: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("replylint").unwrap();
    cmd.current_dir(dir.path()).env("NO_COLOR", "1");
    cmd
}

fn write(dir: &TempDir, name: &str, content: &str) -> String {
    let path = dir.path().join(name);
    fs::write(&path, content).unwrap();
    path.display().to_string()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &TempDir, args: &[&str]) -> Run {
    let output = replylint(dir).arg("audit").args(args).output().unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The text a diagnostic's span covers in `body`.
fn covered<'a>(body: &'a str, diagnostic: &Value) -> &'a str {
    let start = diagnostic["span"]["start"].as_u64().unwrap() as usize;
    let end = diagnostic["span"]["end"].as_u64().unwrap() as usize;
    &body[start..end]
}

fn rules_of(record: &Value) -> Vec<String> {
    record["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn jsonl_threads_keep_the_contract() {
    let dir = TempDir::new().unwrap();
    let r = run(&dir, &[&fixture("threads.jsonl"), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let records = json_lines(&r.stdout);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["T-1", "T-2", "T-3"]);
    // Field order of the contract: id, then diagnostics; each diagnostic as `check` gives it.
    assert!(r.stdout.starts_with("{\"id\":\"T-1\",\"diagnostics\":[{\"rule\":\"jargon\",\"severity\":\"warning\",\"message\":"));
    let first = &records[0]["diagnostics"][0];
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 9);
    assert!(rules_of(&records[1]).contains(&"jargon".to_string()));
    assert!(rules_of(&records[2]).is_empty());
}

#[test]
fn zendesk_export_maps_html_spans_and_skips_private_notes() {
    let dir = TempDir::new().unwrap();
    let r = run(
        &dir,
        &[&fixture("zendesk-export.jsonl"), "--format", "json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let records = json_lines(&r.stdout);
    assert_eq!(records[0]["id"], "1001");
    assert_eq!(records[1]["id"], "1002");
    let raw: Value = serde_json::from_str(
        fs::read_to_string(fixture("zendesk-export.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    // The private note (comment 2) is skipped: the agent's public reply is message 1, whose
    // only body is HTML; spans point into that HTML.
    let html = raw["comments"][2]["html_body"].as_str().unwrap();
    let diagnostics = records[0]["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        assert_eq!(d["message_index"], 1);
    }
    let words: Vec<&str> = diagnostics.iter().map(|d| covered(html, d)).collect();
    assert!(words.contains(&"escalated"), "{words:?}");
    assert!(words.contains(&"L2"), "{words:?}");
    // Line and column are recomputed for the HTML.
    let escalated = diagnostics
        .iter()
        .find(|d| covered(html, d) == "escalated")
        .unwrap();
    assert_eq!(
        escalated["column"].as_u64().unwrap() as usize,
        html.find("escalated").unwrap() + 1
    );
}

#[test]
fn zendesk_api_response_pretty_printed() {
    let dir = TempDir::new().unwrap();
    let r = run(
        &dir,
        &[&fixture("zendesk-comments-api.json"), "--format", "json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let records = json_lines(&r.stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "1003");
    let raw: Value =
        serde_json::from_str(&fs::read_to_string(fixture("zendesk-comments-api.json")).unwrap())
            .unwrap();
    let html = raw["comments"][1]["html_body"].as_str().unwrap();
    assert_eq!(covered(html, &records[0]["diagnostics"][0]), "chargeback");
}

#[test]
fn intercom_bots_are_audited_and_counted_apart() {
    let dir = TempDir::new().unwrap();
    let r = run(&dir, &[&fixture("intercom.json"), "--format", "jsonl"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let findings = json_lines(&r.stdout);
    assert!(!findings.is_empty());
    let raw: Value =
        serde_json::from_str(&fs::read_to_string(fixture("intercom.json")).unwrap()).unwrap();
    let fin_body = raw["conversations"][0]["conversation_parts"]["conversation_parts"][0]["body"]
        .as_str()
        .unwrap();
    for f in &findings {
        assert_eq!(f["conversation"], "147");
        assert_eq!(f["channel"], "chat");
        // Fin's reply is message 1 (the note and the bodiless assignment are skipped).
        assert_eq!(f["message_index"], 1);
        assert_eq!(f["agent"], "Fin");
        assert_eq!(f["author_kind"], "bot");
        assert!(f["excerpt"].as_str().unwrap().contains('⟦'));
    }
    assert!(findings.iter().any(|f| covered(fin_body, f) == "escalated"));
    let summary = run(&dir, &[&fixture("intercom.json"), "--format", "summary"]);
    assert!(summary.stdout.contains("Fin (bot)"), "{}", summary.stdout);
    assert!(
        summary.stdout.contains("2 agent repl(ies) (1 by bots)"),
        "{}",
        summary.stdout
    );
}

#[test]
fn freshdesk_skips_private_notes_and_maps_html() {
    let dir = TempDir::new().unwrap();
    let r = run(&dir, &[&fixture("freshdesk.jsonl"), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let records = json_lines(&r.stdout);
    assert_eq!(records.len(), 2);
    let raw: Value = serde_json::from_str(
        fs::read_to_string(fixture("freshdesk.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let body = raw["conversations"][1]["body"].as_str().unwrap();
    let words: Vec<&str> = records[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| covered(body, d))
        .collect();
    assert!(words.contains(&"pending settlement"), "{words:?}");
    assert!(words.contains(&"escalated"), "{words:?}");
    assert!(rules_of(&records[1]).is_empty());
}

#[test]
fn csv_with_mapped_columns_to_csv_output() {
    let dir = TempDir::new().unwrap();
    let mapping = [
        "--csv-column",
        "conversation_id=ticket",
        "--csv-column",
        "role=sender",
        "--csv-column",
        "text=body",
        "--csv-column",
        "author=agent_name",
        "--csv-column",
        "created_at=sent_at",
    ];
    let mut args = vec![fixture("messages.csv")];
    args.extend(mapping.iter().map(|s| s.to_string()));
    args.extend(["--format".into(), "csv".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&dir, &args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let mut reader = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "conversation",
            "message_index",
            "agent",
            "rule",
            "severity",
            "message",
            "excerpt"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    // The mapped columns carry through: C-1's draft is message 1, written by Sam.
    let c1: Vec<_> = rows.iter().filter(|r| &r[0] == "C-1").collect();
    assert!(!c1.is_empty());
    for row in &c1 {
        assert_eq!(&row[1], "1");
        assert_eq!(&row[2], "Sam");
    }
    assert!(rows.iter().any(|r| r[6].contains("⟦escalated⟧")));
}

#[test]
fn missing_csv_column_is_an_error_before_any_work() {
    let dir = TempDir::new().unwrap();
    let r = run(&dir, &[&fixture("messages.csv"), "--format", "json"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("missing column `conversation_id`") && r.stderr.contains("ticket"),
        "{}",
        r.stderr
    );
    // Also when the missing column is in a later file: nothing is audited first.
    let r = run(
        &dir,
        &[
            &fixture("threads.jsonl"),
            &fixture("messages.csv"),
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let r = run(
        &dir,
        &[
            &fixture("messages.csv"),
            "--csv-column",
            "ticket",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("FIELD=HEADER"), "{}", r.stderr);
}

#[test]
fn unknown_input_format_is_an_error_before_any_work() {
    let dir = TempDir::new().unwrap();
    let r = run(&dir, &[&fixture("threads.jsonl"), "--input-format", "xml"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    let file = write(&dir, "notes.txt", "just some notes\nabout tickets\n");
    let r = run(&dir, &[&file, "--format", "json"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("--input-format"), "{}", r.stderr);
    let r = run(&dir, &["nope-*.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no file matches"), "{}", r.stderr);
}

#[test]
fn malformed_records_are_located_counted_and_skipped() {
    let dir = TempDir::new().unwrap();
    let lines: Vec<&str> = include_str!("fixtures/audit/threads.jsonl")
        .lines()
        .collect();
    let jsonl = format!(
        "{}\n{{\"id\": \"broken\", \"messages\": [\n\n{}\n{{\"messages\": [{{\"role\": \"robot\", \"text\": \"x\"}}]}}\n",
        lines[0], lines[1]
    );
    let file = write(&dir, "a.jsonl", &jsonl);
    let r = run(&dir, &[&file, "--format", "json", "--summary"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a.jsonl:2"), "{}", r.stderr);
    assert!(
        r.stderr.contains("a.jsonl:5: field `messages[0].role`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 malformed record(s)"), "{}", r.stderr);
    let ids: Vec<Value> = json_lines(&r.stdout)
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["T-1", "T-2"]);

    // Help-desk records: the ticket id is given where known.
    let export = include_str!("fixtures/audit/zendesk-export.jsonl");
    let mut lines: Vec<String> = export.lines().map(String::from).collect();
    lines[1] = lines[1].replace("\"comments\"", "\"no_comments\"");
    lines.push("{\"id\": 1005, \"via\": ".into());
    let file = write(&dir, "z.jsonl", &lines.join("\n"));
    let r = run(
        &dir,
        &[&file, "--input-format", "zendesk", "--format", "json"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("z.jsonl:2 (id 1002)"), "{}", r.stderr);
    assert!(r.stderr.contains("z.jsonl:3"), "{}", r.stderr);
    assert_eq!(json_lines(&r.stdout).len(), 1);
}

#[test]
fn redaction_masks_data_in_every_output() {
    let dir = TempDir::new().unwrap();
    let thread = r#"{"id": "R-1", "messages": [{"role": "customer", "text": "Refund please, order 482139."}, {"role": "agent", "author": "Maria", "text": "Order 482139 was escalated; I wrote to anna@example.com and will call +1 415 555 0100."}]}"#;
    let file = write(&dir, "r.jsonl", thread);
    let report = dir.path().join("r.html");
    let secrets = ["482139", "anna@example.com", "555 0100"];
    for format in ["json", "jsonl", "csv", "summary", "human"] {
        let r = run(
            &dir,
            &[
                &file,
                "--redact",
                "--format",
                format,
                "--summary",
                "--report",
                report.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        let html = fs::read_to_string(&report).unwrap();
        for secret in secrets {
            assert!(!r.stdout.contains(secret), "{format}: {}", r.stdout);
            assert!(!r.stderr.contains(secret), "{format}: {}", r.stderr);
            assert!(!html.contains(secret), "{format}: report");
        }
    }
    // Without --redact the excerpt shows the data.
    let r = run(&dir, &[&file, "--format", "jsonl"]);
    assert!(r.stdout.contains("482139"), "{}", r.stdout);
}

#[test]
fn output_follows_input_order_across_batches() {
    let dir = TempDir::new().unwrap();
    let mut jsonl = String::new();
    for i in 0..3000 {
        let reply = if i % 3 == 0 {
            "It was escalated to L2."
        } else {
            "Yes, it ships today."
        };
        jsonl.push_str(&format!(
            "{{\"id\": \"N-{i}\", \"messages\": [{{\"role\": \"customer\", \"text\": \"Does order {i} ship today?\"}}, {{\"role\": \"agent\", \"text\": \"{reply}\"}}]}}\n"
        ));
    }
    let file = write(&dir, "many.jsonl", &jsonl);
    let r = run(&dir, &[&file, "--format", "json"]);
    let records = json_lines(&r.stdout);
    assert_eq!(records.len(), 3000);
    for (i, record) in records.iter().enumerate() {
        assert_eq!(record["id"], format!("N-{i}"));
        assert_eq!(rules_of(record).is_empty(), i % 3 != 0, "{record}");
    }
}

#[test]
fn reads_stdin_and_globs() {
    let dir = TempDir::new().unwrap();
    let output = replylint(&dir)
        .args(["audit", "-", "--format", "json"])
        .write_stdin(fs::read(fixture("freshdesk.jsonl")).unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        json_lines(&String::from_utf8(output.stdout).unwrap()).len(),
        2
    );
    let pattern = format!("{}/*.jsonl", fixture(""));
    let r = run(&dir, &[&pattern, "--format", "json"]);
    // freshdesk (2) + threads (3) + zendesk export (2), in name order.
    assert_eq!(json_lines(&r.stdout).len(), 7, "{}", r.stderr);
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let dir = TempDir::new().unwrap();
    let hostile = r#"{"id": "<img src=x>", "messages": [{"role": "customer", "text": "Where is my refund?"}, {"role": "agent", "author": "<b>Eve</b>", "created_at": "2024-03-04T10:00:00Z", "text": "It was escalated <script>alert(1)</script> to L2."}]}"#;
    let file = write(&dir, "h.jsonl", hostile);
    let report = dir.path().join("out/report.html");
    // A missing directory is an error before any work.
    let r = run(&dir, &[&file, "--report", report.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    fs::create_dir(dir.path().join("out")).unwrap();
    let r = run(
        &dir,
        &[
            &file,
            &fixture("threads.jsonl"),
            &fixture("intercom.json"),
            "--format",
            "summary",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let html = fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for section in [
        "totals", "rules", "agents", "channels", "trends", "worst", "examples",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{section}\"")),
            "{section}"
        );
    }
    for chart in ["chart-rules", "chart-agents", "chart-trend"] {
        assert!(html.contains(&format!("<svg id=\"{chart}\"")), "{chart}");
    }
    assert!(html.contains("<mark>escalated</mark>"));
    assert!(html.contains("Fin (bot)"));
    // Self-contained: no scripts, no external resources.
    assert!(!html.contains("<script"));
    assert!(!html.contains(" src=\"") && !html.contains(" href=\""));
    assert!(!html.contains("@import") && !html.contains("url("));
    // Input text is escaped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;Eve&lt;/b&gt;"));
    assert!(html.contains("&lt;img src=x&gt;") || !html.contains("<img"));
    assert!(!html.contains("<img"));
    // Nothing is left beside the report (written to a temporary file, then renamed).
    let left: Vec<_> = fs::read_dir(dir.path().join("out")).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn html_report_renders_from_the_library() {
    use replylint::audit::{Excerpt, FindingStat, Reply, Summary, ThreadStats, report_html};
    let mut summary = Summary::new(false);
    summary.add(ThreadStats {
        id: "A&B".into(),
        location: "x.jsonl:1".into(),
        channel: "chat".into(),
        replies: vec![Reply {
            message_index: 1,
            agent: "Ann".into(),
            bot: false,
            lang: replylint::Lang::En,
            date: Some("2024-03-04".into()),
        }],
        findings: vec![FindingStat {
            rule: "jargon".into(),
            severity: replylint::Severity::Warning,
            reply: 0,
            message: "`SLA` is jargon".into(),
            excerpt: Excerpt {
                before: "per our ".into(),
                text: "SLA".into(),
                after: " <3".into(),
            },
        }],
    });
    let html = report_html::render(&summary);
    assert!(html.contains("per our <mark>SLA</mark> &lt;3"));
    assert!(html.contains("A&amp;B"));
    assert!(html.contains("<svg id=\"chart-trend\""));
}
