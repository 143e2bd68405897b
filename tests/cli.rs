//! The command line as users and other programs see it: outputs, exit codes, error paths.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const JARGON_THREAD: &str = r#"{"id": "T-1", "channel": "chat", "messages": [
  {"role": "customer", "text": "Where is my refund?"},
  {"role": "agent", "text": "Your case was escalated to L2 per our SLA."}]}"#;

const CLEAN_THREAD: &str = r#"{"messages": [
  {"role": "customer", "text": "Can I pay with PayPal?"},
  {"role": "agent", "text": "Yes, PayPal works: choose it at checkout."}]}"#;

fn replylint(dir: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("replylint").unwrap();
    cmd.current_dir(dir.path()).env("NO_COLOR", "1");
    cmd
}

fn write(dir: &TempDir, name: &str, content: &[u8]) -> String {
    let path = dir.path().join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, content).unwrap();
    path.display().to_string()
}

#[test]
fn findings_exit_with_one_and_show_the_span() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", JARGON_THREAD.as_bytes());
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("jargon").and(predicate::str::contains("escalated")));
}

#[test]
fn human_location_counts_characters_like_the_json() {
    let thread = r#"{"messages": [
      {"role": "customer", "text": "Где мой возврат?"},
      {"role": "agent", "text": "Здравствуйте! Ваша заявка эскалирована на вторую линию."}]}"#;
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", thread.as_bytes());
    let json = replylint(&dir)
        .args(["check", &file, "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let column = report["diagnostics"][0]["column"].as_u64().unwrap();
    // "Здравствуйте! Ваша заявка " is 26 characters (and 48 bytes).
    assert_eq!(column, 27);
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(":1:{column}]")));
}

#[test]
fn clean_draft_exits_with_zero() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", CLEAN_THREAD.as_bytes());
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no findings"));
}

#[test]
fn json_output_follows_the_contract() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", JARGON_THREAD.as_bytes());
    let output = replylint(&dir)
        .args(["check", &file, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &value["diagnostics"][0];
    for field in [
        "rule",
        "severity",
        "message",
        "message_index",
        "span",
        "line",
        "column",
        "labels",
        "help",
    ] {
        assert!(first.get(field).is_some(), "missing {field} in {first}");
    }
    let (start, end) = (
        first["span"]["start"].as_u64().unwrap() as usize,
        first["span"]["end"].as_u64().unwrap() as usize,
    );
    let draft = "Your case was escalated to L2 per our SLA.";
    assert_eq!(&draft[start..end], "escalated");
    assert_eq!(first["message_index"], 1);
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 15);
}

#[test]
fn reads_stdin() {
    let dir = TempDir::new().unwrap();
    replylint(&dir)
        .args(["check", "-"])
        .write_stdin(JARGON_THREAD)
        .assert()
        .code(1);
}

#[test]
fn plain_text_message_and_reply() {
    let dir = TempDir::new().unwrap();
    let customer = write(&dir, "c.txt", "Где мой возврат?".as_bytes());
    let reply = write(
        &dir,
        "r.txt",
        "Ваш тикет эскалирован на вторую линию.".as_bytes(),
    );
    replylint(&dir)
        .args(["check", "--message", &customer, "--reply", &reply])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("эскалирован"));
}

#[test]
fn fail_on_error_lets_warnings_pass() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", JARGON_THREAD.as_bytes());
    replylint(&dir)
        .args(["check", &file, "--fail-on", "error"])
        .assert()
        .code(0);
}

#[test]
fn truncated_json_is_a_located_error() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "t.json",
        br#"{"messages": [{"role": "agent", "text": "Hi"#,
    );
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("t.json:1:").and(predicate::str::contains("EOF")));
}

#[test]
fn empty_input_is_an_error() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", b"");
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
}

#[test]
fn last_message_must_be_the_draft() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "t.json",
        br#"{"messages": [{"role": "agent", "text": "Hi"}, {"role": "customer", "text": "?"}]}"#,
    );
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("messages[1].role")
                .and(predicate::str::contains("last message")),
        );
}

#[test]
fn non_utf8_input_is_an_error() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "t.json",
        b"{\"messages\": [{\"role\": \"agent\", \"text\": \"\xff\xfe\"}]}",
    );
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("UTF-8"));
}

#[test]
fn bad_field_names_the_field() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "t.json",
        b"{\"messages\": [\n{\"role\": \"robot\", \"text\": \"x\"}]}",
    );
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("t.json:2:").and(predicate::str::contains("messages[0].role")),
        );
}

#[test]
fn missing_file_and_bad_usage_exit_with_two() {
    let dir = TempDir::new().unwrap();
    replylint(&dir)
        .args(["check", "nope.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.json"));
    replylint(&dir).assert().code(2);
    replylint(&dir).args(["check"]).assert().code(2);
    replylint(&dir)
        .args(["check", "x.json", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn audit_reports_a_bad_line_and_processes_the_rest() {
    let dir = TempDir::new().unwrap();
    let jsonl = format!(
        "{}\n{{\"messages\": [\n{}\n",
        JARGON_THREAD.replace('\n', " "),
        CLEAN_THREAD.replace('\n', " ")
    );
    let file = write(&dir, "a.jsonl", jsonl.as_bytes());
    let output = replylint(&dir)
        .args(["audit", &file, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("a.jsonl:2"), "{stderr}");
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "T-1");
    assert_eq!(lines[0]["diagnostics"][0]["rule"], "jargon");
    // No id in the input: the line number stands in.
    assert_eq!(lines[1]["id"], 3);
    assert_eq!(lines[1]["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn audit_lints_every_agent_message() {
    let dir = TempDir::new().unwrap();
    let thread = r#"{"id": "x", "messages": [{"role": "customer", "text": "Where is my refund?"}, {"role": "agent", "text": "It was escalated."}, {"role": "customer", "text": "And?"}, {"role": "agent", "text": "The backend is slow."}]}"#;
    let file = write(&dir, "a.jsonl", thread.as_bytes());
    let output = replylint(&dir)
        .args(["audit", &file, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let indices: Vec<u64> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message_index"].as_u64().unwrap())
        .collect();
    assert!(indices.contains(&1) && indices.contains(&3), "{value}");
}

#[test]
fn config_ignores_rules_and_sets_severity() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", JARGON_THREAD.as_bytes());
    write(&dir, "replylint.toml", b"ignore = [\"jargon\"]\n");
    replylint(&dir).args(["check", &file]).assert().code(0);
    write(
        &dir,
        "replylint.toml",
        b"[rules.jargon]\nseverity = \"info\"\n",
    );
    replylint(&dir).args(["check", &file]).assert().code(0);
    replylint(&dir)
        .args(["check", &file, "--fail-on", "info"])
        .assert()
        .code(1);
    replylint(&dir)
        .args(["check", &file, "--no-config"])
        .assert()
        .code(1);
}

#[test]
fn config_is_found_in_a_parent_directory() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", JARGON_THREAD.as_bytes());
    write(&dir, "replylint.toml", b"ignore = [\"jargon\"]\n");
    fs::create_dir_all(dir.path().join("sub/deeper")).unwrap();
    let mut cmd = replylint(&dir);
    cmd.current_dir(dir.path().join("sub/deeper"))
        .args(["check", &file])
        .assert()
        .code(0);
}

#[test]
fn bad_config_points_at_the_line() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "t.json", JARGON_THREAD.as_bytes());
    write(
        &dir,
        "replylint.toml",
        b"fail-on = \"warning\"\nignore = [\"jargn\"]\n",
    );
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("replylint.toml:2:")
                .and(predicate::str::contains("unknown rule `jargn`")),
        );
    write(&dir, "replylint.toml", b"select = [\n");
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("replylint.toml:"));
    write(
        &dir,
        "replylint.toml",
        b"[rules.excessive-length]\nbudget-chat = \"long\"\n",
    );
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("replylint.toml:2:")
                .and(predicate::str::contains("must be a number")),
        );
    write(&dir, "replylint.toml", b"unknown-key = 1\n");
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field"));
}

#[test]
fn user_lexicon_adds_jargon_without_recompiling() {
    let dir = TempDir::new().unwrap();
    let thread = r#"{"messages": [{"role": "customer", "text": "My photos will not upload."}, {"role": "agent", "text": "Please restart Nimbus Sync and try again."}]}"#;
    let file = write(&dir, "t.json", thread.as_bytes());
    replylint(&dir).args(["check", &file]).assert().code(0);
    write(
        &dir,
        "terms/en/jargon.toml",
        b"[[term]]\nphrases = [\"nimbus sync\"]\nhelp = \"say: the photo uploader\"\n",
    );
    write(&dir, "replylint.toml", b"lexicons = [\"terms\"]\n");
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("the photo uploader"));
    write(
        &dir,
        "terms/en/jargon.toml",
        b"[[term]]\nphrases = [\"nimbus * sync\"]\n",
    );
    replylint(&dir)
        .args(["check", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("jargon.toml:2:"));
}

#[test]
fn rules_and_explain() {
    let dir = TempDir::new().unwrap();
    replylint(&dir).arg("rules").assert().code(0).stdout(
        predicate::str::contains("jargon").and(predicate::str::contains("excessive-length")),
    );
    replylint(&dir)
        .args(["explain", "jargon"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Why:").and(predicate::str::contains("Bad:")));
    replylint(&dir)
        .args(["explain", "no-such-rule"])
        .assert()
        .code(2);
}
