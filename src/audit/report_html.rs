//! `--report report.html`: one self-contained HTML file (inline CSS and SVG, no scripts, no
//! fonts, no network) with findings per rule and per agent, trends by date when the input has
//! timestamps, the worst conversations, and a few example replies per rule with the span
//! highlighted. Everything taken from the input is HTML-escaped.
//!
//! The file is written to a temporary file beside the destination and renamed over it, so an
//! interrupted audit never leaves a half-written report.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::summary::{Summary, Tally, per_100};

/// Fails early (before any work) when the report could not be written.
pub fn check_destination(path: &Path) -> Result<(), String> {
    let dir = parent(path);
    if !dir.is_dir() {
        return Err(format!(
            "--report {}: directory {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    Ok(())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Renders the report and writes it atomically.
pub fn write_report(path: &Path, summary: &Summary) -> Result<(), String> {
    let html = render(summary);
    let fail = |e: std::io::Error| format!("--report {}: cannot write: {e}", path.display());
    let mut file = tempfile::NamedTempFile::new_in(parent(path)).map_err(fail)?;
    file.write_all(html.as_bytes()).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;border-bottom:1px solid #d8dce3;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:10px 16px;min-width:130px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;background:#fff;width:100%;margin:8px 0}
th,td{border:1px solid #e1e4ea;padding:4px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#eef0f4}
svg{background:#fff;border:1px solid #d8dce3;border-radius:8px;max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}
.ex{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:8px 12px;margin:8px 0}
.ex .meta{color:#5b6475;font-size:13px}
.ex blockquote{margin:6px 0;white-space:pre-wrap;overflow-wrap:anywhere}
mark{background:#ffe08a;padding:0 2px;border-radius:2px}
.sev-error{color:#b3261e}.sev-warning{color:#9a6700}.sev-info{color:#2f5fb3}
.bad{color:#b3261e}.muted{color:#5b6475}
"#;

/// The report as one HTML document.
pub fn render(s: &Summary) -> String {
    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    h.push_str("<title>replylint audit report</title><style>");
    h.push_str(STYLE);
    h.push_str("</style></head><body><main>\n<h1>Reply quality audit</h1>");
    let _ = write!(
        h,
        "<p class=\"muted\">replylint {} · {} of input{}</p>",
        env!("CARGO_PKG_VERSION"),
        bytes(s.bytes),
        if s.redact {
            " · personal data redacted"
        } else {
            ""
        }
    );
    h.push_str("<section id=\"totals\" class=\"cards\">");
    let cards = [
        ("conversations", s.conversations.to_string()),
        ("agent replies", s.replies.to_string()),
        ("by bots", s.bot_replies.to_string()),
        ("findings", s.findings.to_string()),
        (
            "per 100 replies",
            format!("{:.1}", per_100(s.findings, s.replies)),
        ),
        ("malformed records", s.bad_records.to_string()),
    ];
    for (label, value) in cards {
        let _ = write!(h, "<div class=\"card\"><b>{value}</b>{label}</div>");
    }
    h.push_str("</section>\n");
    if s.bot_replies > 0 {
        let _ = write!(
            h,
            "<p>People: {:.1} findings per 100 replies · bots: {:.1}</p>",
            per_100(s.findings - s.bot_findings, s.replies - s.bot_replies),
            per_100(s.bot_findings, s.bot_replies)
        );
    }

    // Rules.
    let rules = s.rules_ranked();
    h.push_str("<section id=\"rules\"><h2>Findings per rule</h2>");
    let bars: Vec<(String, f64, String)> = rules
        .iter()
        .map(|(rule, t)| {
            let rate = per_100(t.findings, s.replies);
            (
                rule.to_string(),
                rate,
                format!("{} ({rate:.1}/100)", t.findings),
            )
        })
        .collect();
    h.push_str(&bar_chart("chart-rules", &bars));
    h.push_str("<table><tr><th>rule</th><th>findings</th><th>per 100 replies</th><th>error</th><th>warning</th><th>info</th></tr>");
    for (rule, t) in &rules {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(rule),
            t.findings,
            per_100(t.findings, s.replies),
            t.by_severity[0],
            t.by_severity[1],
            t.by_severity[2]
        );
    }
    h.push_str("</table></section>\n");

    // Agents.
    let agents = s.agents_ranked();
    h.push_str("<section id=\"agents\"><h2>Findings per agent</h2>");
    let shown: Vec<(String, f64, String)> = agents
        .iter()
        .take(25)
        .map(|(name, bot, t)| {
            let label = if *bot {
                format!("{name} (bot)")
            } else {
                name.to_string()
            };
            (
                label,
                t.rate(),
                format!("{:.1}/100 of {} replies", t.rate(), t.replies),
            )
        })
        .collect();
    if agents.len() > shown.len() {
        let _ = write!(
            h,
            "<p class=\"muted\">The {} agents with the most replies (of {}).</p>",
            shown.len(),
            agents.len()
        );
    }
    h.push_str(&bar_chart("chart-agents", &shown));
    tally_table(
        &mut h,
        "agent",
        agents.iter().map(|(name, bot, t)| {
            (
                if *bot {
                    format!("{name} (bot)")
                } else {
                    name.to_string()
                },
                *t,
            )
        }),
    );
    h.push_str("</section>\n");

    h.push_str("<section id=\"channels\"><h2>Per channel and language</h2>");
    tally_table(
        &mut h,
        "channel",
        s.channels.iter().map(|(k, v)| (k.clone(), *v)),
    );
    tally_table(
        &mut h,
        "language",
        s.languages.iter().map(|(k, v)| (k.to_string(), *v)),
    );
    h.push_str("</section>\n");

    if !s.dates.is_empty() {
        h.push_str("<section id=\"trends\"><h2>Trend by date</h2>");
        h.push_str(&trend_chart(&s.dates));
        h.push_str("</section>\n");
    }

    if !s.worst.is_empty() {
        h.push_str("<section id=\"worst\"><h2>Worst conversations</h2><table><tr><th>conversation</th><th>findings</th><th>replies</th><th>where</th></tr>");
        for w in &s.worst {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&w.id),
                w.findings,
                w.replies,
                escape(&w.location)
            );
        }
        h.push_str("</table></section>\n");
    }

    h.push_str("<section id=\"examples\"><h2>Examples</h2>");
    for (rule, t) in &rules {
        if t.examples.is_empty() {
            continue;
        }
        let _ = write!(h, "<h3 id=\"rule-{0}\">{0}</h3>", escape(rule));
        for e in &t.examples {
            let _ = write!(
                h,
                "<div class=\"ex\"><div class=\"meta\"><span class=\"sev-{sev}\">{sev}</span> · conversation {id} · message {idx} · {agent} · {loc}</div><blockquote>{before}<mark>{text}</mark>{after}</blockquote><div>{msg}</div></div>",
                sev = e.severity.as_str(),
                id = escape(&e.conversation),
                idx = e.message_index,
                agent = escape(&e.agent),
                loc = escape(&e.location),
                before = escape(&e.excerpt.before),
                text = escape(&e.excerpt.text),
                after = escape(&e.excerpt.after),
                msg = escape(&e.message),
            );
        }
    }
    h.push_str("</section>\n");

    if s.bad_records > 0 {
        let _ = write!(
            h,
            "<section id=\"malformed\"><h2>Malformed records: {}</h2><ul>",
            s.bad_records
        );
        for bad in &s.bad_listed {
            let _ = write!(h, "<li class=\"bad\">{}</li>", escape(bad));
        }
        h.push_str("</ul></section>\n");
    }
    h.push_str("</main></body></html>\n");
    h
}

fn tally_table(h: &mut String, title: &str, rows: impl Iterator<Item = (String, Tally)>) {
    let _ = write!(
        h,
        "<table><tr><th>{title}</th><th>replies</th><th>findings</th><th>per 100 replies</th></tr>"
    );
    for (name, t) in rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td></tr>",
            escape(&name),
            t.replies,
            t.findings,
            t.rate()
        );
    }
    h.push_str("</table>");
}

/// A horizontal bar chart: one bar per (label, value, caption).
fn bar_chart(id: &str, bars: &[(String, f64, String)]) -> String {
    let (width, label_w, row) = (900.0, 220.0, 24.0);
    let height = row * bars.len().max(1) as f64 + 16.0;
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1e-9);
    let mut svg = format!(
        "<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\">"
    );
    for (i, (label, value, caption)) in bars.iter().enumerate() {
        let y = 8.0 + i as f64 * row;
        let w = (width - label_w - 190.0) * value / max;
        let short: String = label.chars().take(30).collect();
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#4c78a8\"><title>{}</title></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            label_w - 8.0,
            y + 16.0,
            escape(&short),
            y + 3.0,
            row - 6.0,
            escape(label),
            label_w + w + 6.0,
            y + 16.0,
            escape(caption)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Replies per day (bars) and findings per 100 replies (line).
fn trend_chart(dates: &std::collections::BTreeMap<String, Tally>) -> String {
    let (width, height, left, bottom, top) = (900.0, 270.0, 50.0, 40.0, 30.0);
    let n = dates.len();
    let step = (width - left - 20.0) / n.max(1) as f64;
    let max_replies = dates.values().map(|t| t.replies).max().unwrap_or(1).max(1) as f64;
    let max_rate = dates.values().map(Tally::rate).fold(0.0, f64::max).max(1.0);
    let plot = height - bottom - top;
    let mut svg = format!(
        "<svg id=\"chart-trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\">"
    );
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#888\"/>",
        height - bottom,
        width - 10.0
    );
    let mut points = String::new();
    let label_every = n.div_ceil(12).max(1);
    for (i, (date, t)) in dates.iter().enumerate() {
        let x = left + i as f64 * step;
        let bar_h = plot * t.replies as f64 / max_replies;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\" fill=\"#c9d6e8\"><title>{}: {} replies, {} findings</title></rect>",
            height - bottom - bar_h,
            (step * 0.8).max(1.0),
            escape(date),
            t.replies,
            t.findings
        );
        let y = height - bottom - plot * t.rate() / max_rate;
        let _ = write!(points, "{:.1},{y:.1} ", x + step * 0.4);
        if i % label_every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{}\">{}</text>",
                height - bottom + 16.0,
                escape(date)
            );
        }
    }
    let _ = write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#d1495b\" stroke-width=\"2\"/>",
        points.trim_end()
    );
    let _ = write!(
        svg,
        "<text x=\"{left}\" y=\"12\">bars: replies per day (max {max_replies}) · line: findings per 100 replies (max {max_rate:.1})</text></svg>"
    );
    svg
}

fn bytes(n: u64) -> String {
    if n >= 1 << 30 {
        format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64)
    } else if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}
