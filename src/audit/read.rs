//! Opening inputs, telling their format, and reading them as a stream of records. Nothing
//! here holds more than one record (or one page of an API response) at a time.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use super::formats::csv::{self as csv_format, CsvColumns};
use super::formats::{self, BadRecord, InputFormat, Thread};

/// How much of an input is read to tell its format.
const PEEK: usize = 64 * 1024;

/// One input, opened once to check it before any work starts.
pub struct Input {
    /// The name as shown in messages (`<stdin>` for `-`).
    pub name: Arc<str>,
    path: Option<PathBuf>,
    pub format: InputFormat,
    /// Size in bytes, when known (files).
    pub size: Option<u64>,
    /// JSON help-desk exports: one record per line (true) or whole JSON documents (false).
    line_mode: bool,
    delimiter: u8,
    /// What was read from standard input to tell its format.
    stdin_prefix: Option<Vec<u8>>,
}

/// Expands globs, opens every input, tells its format, and checks CSV headers. Any problem
/// here is an error before any work starts.
pub fn prepare(
    args: &[String],
    forced: Option<InputFormat>,
    columns: &CsvColumns,
) -> Result<Vec<Input>, String> {
    let mut paths: Vec<Option<PathBuf>> = Vec::new();
    for arg in args {
        if arg == "-" {
            paths.push(None);
        } else if arg.contains(['*', '?', '[']) && !std::path::Path::new(arg).exists() {
            let matched: Vec<PathBuf> = glob::glob(arg)
                .map_err(|e| format!("bad pattern `{arg}`: {e}"))?
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            if matched.is_empty() {
                return Err(format!("no file matches `{arg}`"));
            }
            paths.extend(matched.into_iter().map(Some));
        } else {
            paths.push(Some(PathBuf::from(arg)));
        }
    }
    let mut inputs = Vec::new();
    for path in paths {
        let name: Arc<str> = match &path {
            Some(p) => p.display().to_string().into(),
            None => "<stdin>".into(),
        };
        let (prefix, size) = match &path {
            Some(p) => {
                let file = File::open(p).map_err(|e| format!("{name}: cannot read: {e}"))?;
                let size = file.metadata().ok().map(|m| m.len());
                (
                    peek(file).map_err(|e| format!("{name}: cannot read: {e}"))?,
                    size,
                )
            }
            None => (
                peek(io::stdin().lock()).map_err(|e| format!("{name}: cannot read: {e}"))?,
                None,
            ),
        };
        let format = match forced {
            Some(format) => format,
            None if prefix.iter().all(u8::is_ascii_whitespace) => InputFormat::Jsonl,
            None => formats::detect(&prefix).ok_or_else(|| {
                format!(
                    "{name}: cannot tell the input format from its content; name it with --input-format jsonl|csv|zendesk|intercom|freshdesk"
                )
            })?,
        };
        let delimiter = csv_format::delimiter(&prefix);
        if format == InputFormat::Csv {
            let mut reader = csv_format::reader(Cursor::new(&prefix), delimiter);
            let headers = reader
                .headers()
                .map_err(|e| format!("{name}: cannot read the CSV header: {e}"))?;
            columns
                .resolve(headers)
                .map_err(|e| format!("{name}: {e}"))?;
        }
        let line_mode = match format {
            InputFormat::Jsonl => true,
            InputFormat::Csv => false,
            _ => first_line_is_json(&prefix),
        };
        inputs.push(Input {
            name,
            stdin_prefix: path.is_none().then_some(prefix),
            path,
            format,
            size,
            line_mode,
            delimiter,
        });
    }
    Ok(inputs)
}

fn peek(mut reader: impl Read) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(PEEK);
    reader.by_ref().take(PEEK as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}

fn first_line_is_json(prefix: &[u8]) -> bool {
    prefix
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .is_some_and(|line| serde_json::from_slice::<Value>(line).is_ok())
}

/// A unit of work for the linting threads: raw enough that parsing happens there too.
pub enum Work {
    /// One line of a JSON Lines input: a range of a block read at once.
    Line {
        source: Arc<str>,
        line: usize,
        block: Arc<Vec<u8>>,
        range: std::ops::Range<usize>,
        format: InputFormat,
    },
    /// One JSON document of a help-desk export (a record or a list response).
    Value {
        source: Arc<str>,
        line: Option<usize>,
        value: Value,
        format: InputFormat,
    },
    Thread(Thread),
    Bad(BadRecord),
}

impl Work {
    /// Parses the work into threads.
    pub fn parse(self) -> Vec<Result<Thread, BadRecord>> {
        match self {
            Work::Line {
                source,
                line,
                block,
                range,
                format: InputFormat::Jsonl,
            } => vec![formats::jsonl::parse_line(&source, line, &block[range])],
            Work::Line {
                source,
                line,
                block,
                range,
                format,
            } => match serde_json::from_slice::<Value>(&block[range]) {
                Ok(value) => formats::threads_from_value(format, value, &source, Some(line)),
                Err(err) => vec![Err(BadRecord {
                    source,
                    line: Some(line),
                    id: None,
                    message: format!("column {}: {}", err.column(), strip_position(&err)),
                })],
            },
            Work::Value {
                source,
                line,
                value,
                format,
            } => formats::threads_from_value(format, value, &source, line),
            Work::Thread(thread) => vec![Ok(thread)],
            Work::Bad(bad) => vec![Err(bad)],
        }
    }

    /// Roughly how much work this is, for batching.
    pub fn weight(&self) -> usize {
        match self {
            Work::Line { range, .. } => range.len(),
            Work::Thread(t) => t.conversation.messages.iter().map(|m| m.text.len()).sum(),
            Work::Value { .. } => 64 * 1024,
            Work::Bad(_) => 1,
        }
    }
}

fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Counts the bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    counted: Box<dyn FnMut(u64) + Send>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.counted)(n as u64);
        Ok(n)
    }
}

/// Reads every input in order and hands each record to `emit`, which returns false to stop
/// (the output was closed). `counted` is told how many bytes were read.
pub fn produce(
    inputs: Vec<Input>,
    columns: &CsvColumns,
    counted: impl Fn(u64) + Send + Sync + Clone + 'static,
    emit: &mut dyn FnMut(Work) -> bool,
) {
    for input in inputs {
        let source = input.name.clone();
        let raw: Box<dyn Read + Send> = match (&input.path, input.stdin_prefix) {
            (Some(path), _) => match File::open(path) {
                Ok(file) => Box::new(file),
                Err(err) => {
                    let bad = BadRecord {
                        source,
                        line: None,
                        id: None,
                        message: format!("cannot read: {err}"),
                    };
                    if !emit(Work::Bad(bad)) {
                        return;
                    }
                    continue;
                }
            },
            (None, prefix) => Box::new(Cursor::new(prefix.unwrap_or_default()).chain(io::stdin())),
        };
        let count = counted.clone();
        let reader = Counting {
            inner: raw,
            counted: Box::new(count),
        };
        let keep_going = match (input.format, input.line_mode) {
            (InputFormat::Csv, _) => {
                let reader = csv_format::reader(reader, input.delimiter);
                let mut send = |record: Result<Thread, BadRecord>| {
                    emit(match record {
                        Ok(thread) => Work::Thread(thread),
                        Err(bad) => Work::Bad(bad),
                    })
                };
                match csv_format::read_all(&source, reader, columns, &mut send) {
                    Ok(()) => true,
                    Err(message) => emit(Work::Bad(BadRecord {
                        source: source.clone(),
                        line: None,
                        id: None,
                        message,
                    })),
                }
            }
            (format, true) => lines(source, format, reader, emit),
            (format, false) => documents(source, format, reader, emit),
        };
        if !keep_going {
            return;
        }
    }
}

/// Bytes read at a time: lines are cut out of blocks this size (a longer line makes its
/// block longer), so reading copies each byte once and allocates once per block, not per line.
const BLOCK: usize = 1024 * 1024;

fn lines(
    source: Arc<str>,
    format: InputFormat,
    mut reader: impl Read,
    emit: &mut dyn FnMut(Work) -> bool,
) -> bool {
    let mut line = 0;
    // What was read and not yet cut into lines: the start of a line whose end is not read.
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let mut block = std::mem::take(&mut pending);
        // What is pending holds no '\n' (it is the start of a line): only new bytes are
        // looked through, so a line longer than a block costs no more than its length.
        let looked_through = block.len();
        block.reserve(BLOCK);
        let end_of_input = match reader.by_ref().take(BLOCK as u64).read_to_end(&mut block) {
            Ok(read) => read == 0,
            Err(err) => {
                return emit(Work::Bad(BadRecord {
                    source,
                    line: Some(line + 1),
                    id: None,
                    message: format!("cannot read: {err}"),
                }));
            }
        };
        // Complete lines only; at the end of the input, the last one without its '\n' too.
        let cut = match memchr::memrchr(b'\n', &block[looked_through..]) {
            _ if end_of_input => block.len(),
            Some(newline) => looked_through + newline + 1,
            None => {
                pending = block;
                continue;
            }
        };
        pending = block[cut..].to_vec();
        block.truncate(cut);
        let block = Arc::new(block);
        let mut start = 0;
        while start < block.len() {
            let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i + 1);
            let range = start..end;
            start = end;
            line += 1;
            let bytes = &block[range.clone()];
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let trailing = bytes
                .iter()
                .rev()
                .take_while(|b| **b == b'\n' || **b == b'\r')
                .count();
            let work = Work::Line {
                source: source.clone(),
                line,
                block: block.clone(),
                range: range.start..range.end - trailing,
                format,
            };
            if !emit(work) {
                return false;
            }
        }
        if end_of_input {
            return true;
        }
    }
}

/// Whole JSON documents one after another (pretty-printed API responses, pages of a list).
fn documents(
    source: Arc<str>,
    format: InputFormat,
    reader: impl Read,
    emit: &mut dyn FnMut(Work) -> bool,
) -> bool {
    let reader = BufReader::with_capacity(256 * 1024, reader);
    let stream = serde_json::Deserializer::from_reader(reader).into_iter::<Value>();
    for value in stream {
        let work = match value {
            Ok(value) => Work::Value {
                source: source.clone(),
                line: None,
                value,
                format,
            },
            Err(err) => {
                // A syntax error ends the document: nothing after it can be trusted.
                emit(Work::Bad(BadRecord {
                    source: source.clone(),
                    line: Some(err.line()),
                    id: None,
                    message: format!("column {}: {}", err.column(), strip_position(&err)),
                }));
                return true;
            }
        };
        if !emit(work) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines `lines` hands out: (line number, text).
    fn read_lines(input: &[u8]) -> Vec<(usize, Vec<u8>)> {
        let mut out = Vec::new();
        let mut emit = |work: Work| {
            if let Work::Line {
                line, block, range, ..
            } = work
            {
                out.push((line, block[range].to_vec()));
            }
            true
        };
        lines("test".into(), InputFormat::Jsonl, input, &mut emit);
        out
    }

    #[test]
    fn lines_are_numbered_and_trimmed_across_blocks() {
        let long = vec![b'x'; BLOCK + BLOCK / 2];
        let mut input = b"first\n\n  \r\nsecond\r\n".to_vec();
        input.extend_from_slice(&long);
        input.extend_from_slice(b"\nlast");
        let lines = read_lines(&input);
        let numbers: Vec<usize> = lines.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [1, 4, 5, 6]);
        assert_eq!(lines[0].1, b"first");
        assert_eq!(lines[1].1, b"second");
        assert_eq!(lines[2].1, long);
        assert_eq!(lines[3].1, b"last");
    }

    #[test]
    fn a_line_cut_by_the_block_end_is_read_whole() {
        let mut input = Vec::new();
        let mut expected = Vec::new();
        for i in 0..BLOCK / 10 {
            let line = format!("{{\"n\": {i}}}");
            input.extend_from_slice(line.as_bytes());
            input.push(b'\n');
            expected.push(line.into_bytes());
        }
        let read: Vec<Vec<u8>> = read_lines(&input).into_iter().map(|(_, l)| l).collect();
        assert_eq!(read, expected);
    }
}
