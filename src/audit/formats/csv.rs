//! CSV, one row per message, the shape QA leads get from spreadsheets. Columns
//! `conversation_id`, `role`, `text` (required), `author`, `created_at`, `channel`, `lang`
//! (optional); other names are mapped with `--csv-column FIELD=HEADER`. The delimiter (`,`,
//! `;` or tab) is read from the header line. Rows of one conversation are consecutive, in
//! the order written (as exports sort them); a conversation ends where the id changes.

use std::io::Read;
use std::sync::Arc;

use super::{BadRecord, NewMessage, Thread, ThreadBuilder};
use crate::conversation::{AuthorKind, Role};

/// The fields a CSV row can give, in `--csv-column` spelling.
pub const FIELDS: [&str; 7] = [
    "conversation_id",
    "role",
    "text",
    "author",
    "created_at",
    "channel",
    "lang",
];
const REQUIRED: usize = 3;

/// Which header names the fields, after `--csv-column` overrides.
#[derive(Debug, Clone)]
pub struct CsvColumns {
    names: [String; 7],
}

impl Default for CsvColumns {
    fn default() -> Self {
        CsvColumns {
            names: FIELDS.map(str::to_string),
        }
    }
}

impl CsvColumns {
    /// Applies `FIELD=HEADER` overrides; an unknown field is an error.
    pub fn with_overrides(overrides: &[String]) -> Result<CsvColumns, String> {
        let mut columns = CsvColumns::default();
        for spec in overrides {
            let (field, header) = spec
                .split_once('=')
                .ok_or_else(|| format!("--csv-column `{spec}`: expected FIELD=HEADER"))?;
            let index = FIELDS
                .iter()
                .position(|f| *f == field.trim())
                .ok_or_else(|| {
                    format!(
                        "--csv-column `{spec}`: unknown field `{field}` (fields: {})",
                        FIELDS.join(", ")
                    )
                })?;
            columns.names[index] = header.trim().to_string();
        }
        Ok(columns)
    }

    /// The column index of each field in a header row; a missing required column is an error
    /// that names it and lists the columns there are.
    pub fn resolve(&self, headers: &csv::StringRecord) -> Result<[Option<usize>; 7], String> {
        let mut found = [None; 7];
        for (i, name) in self.names.iter().enumerate() {
            found[i] = headers.iter().position(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(name)
            });
            if found[i].is_none() && i < REQUIRED {
                let flag = if name == FIELDS[i] {
                    format!(" (map it with --csv-column {}=HEADER)", FIELDS[i])
                } else {
                    String::new()
                };
                return Err(format!(
                    "missing column `{name}` for {}{flag}; the header has: {}",
                    FIELDS[i],
                    headers.iter().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Ok(found)
    }
}

/// The delimiter of a CSV file, from its header line.
pub fn delimiter(prefix: &[u8]) -> u8 {
    let line = prefix.split(|&b| b == b'\n').next().unwrap_or(prefix);
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',')
}

pub fn reader<R: Read>(input: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(input)
}

fn role(text: &str) -> Option<(Role, Option<AuthorKind>)> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "customer" | "user" | "end-user" | "end_user" | "enduser" | "requester" | "client"
        | "contact" | "lead" | "incoming" => (Role::Customer, None),
        "agent" | "admin" | "staff" | "support" | "operator" | "team" | "human" | "outgoing" => {
            (Role::Agent, Some(AuthorKind::Human))
        }
        "bot" | "ai" | "assistant" | "fin" => (Role::Agent, Some(AuthorKind::Bot)),
        _ => return None,
    })
}

/// Groups consecutive rows into conversations. `emit` receives each thread or bad row, in order.
pub fn read_all<R: Read>(
    source: &Arc<str>,
    mut reader: csv::Reader<R>,
    columns: &CsvColumns,
    emit: &mut dyn FnMut(Result<Thread, BadRecord>) -> bool,
) -> Result<(), String> {
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let index = columns.resolve(&headers)?;
    let mut current: Option<(String, usize, ThreadBuilder)> = None;
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(line, |p| p.line() as usize);
                let keep_going = emit(Err(BadRecord {
                    source: source.clone(),
                    line: Some(line),
                    id: None,
                    message: err.to_string(),
                }));
                if !keep_going || matches!(err.kind(), csv::ErrorKind::Io(_)) {
                    return Ok(());
                }
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line() as usize);
        let field = |i: usize| index[i].and_then(|c| record.get(c)).map(str::trim);
        let id = field(0).unwrap_or("").to_string();
        let bad = |message: String| BadRecord {
            source: source.clone(),
            line: Some(line),
            id: (!id.is_empty()).then(|| id.clone()),
            message,
        };
        if id.is_empty() {
            if !emit(Err(bad(format!("empty `{}`", columns.names[0])))) {
                return Ok(());
            }
            continue;
        }
        let Some((role, kind)) = role(field(1).unwrap_or("")) else {
            let message = format!(
                "`{}` is `{}`: expected customer or agent (or user, admin, bot)",
                columns.names[1],
                field(1).unwrap_or("")
            );
            if !emit(Err(bad(message))) {
                return Ok(());
            }
            continue;
        };
        if current.as_ref().is_some_and(|(cid, ..)| *cid != id) {
            let (_, first_line, builder) = current.take().expect("checked");
            if !emit(builder.finish(source, Some(first_line))) {
                return Ok(());
            }
        }
        let (_, _, builder) = current.get_or_insert_with(|| {
            let mut builder = ThreadBuilder::default();
            builder.conversation.id = Some(id.clone());
            (id.clone(), line, builder)
        });
        let optional = |i: usize| field(i).filter(|s| !s.is_empty()).map(str::to_string);
        if builder.conversation.channel.is_none() {
            builder.conversation.channel = optional(5);
        }
        if builder.conversation.lang.is_none() {
            builder.conversation.lang = optional(6);
        }
        let text = index[2]
            .and_then(|c| record.get(c))
            .unwrap_or("")
            .to_string();
        builder.push(NewMessage {
            role,
            body: text,
            is_html: false,
            author: optional(3),
            kind,
            created_at: optional(4),
            attachments: Vec::new(),
        });
    }
    if let Some((_, first_line, builder)) = current {
        emit(builder.finish(source, Some(first_line)));
    }
    Ok(())
}
