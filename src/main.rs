//! The `replylint` command: a thin layer over the library.

use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use replylint::config::{Config, ConfigError, FailOn};
use replylint::input::{self, InputError};
use replylint::report::{self, Style};
use replylint::{Conversation, Diagnostic, Lang, Linter, Message, audit, rules};

/// Lints customer-support replies before they are sent.
#[derive(Parser)]
#[command(name = "replylint", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint the agent's draft: the last message of a thread JSON, or --reply with --message.
    Check(CheckArgs),
    /// Lint every agent reply of many conversations (JSON Lines, CSV, Zendesk, Intercom,
    /// Freshdesk exports) and summarise where replies fall short.
    Audit(AuditArgs),
    /// List the rules with their default severity.
    Rules,
    /// Print the documentation of a rule.
    Explain {
        /// A rule id, e.g. `redundant-request`.
        rule: String,
    },
}

/// Options that `check` and `audit` share.
#[derive(clap::Args)]
struct Settings {
    /// Exit with 1 when a finding is at or above this level.
    #[arg(long, value_name = "LEVEL", value_parser = ["error", "warning", "info", "never"])]
    fail_on: Option<String>,
    /// Use this config file instead of looking for replylint.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Ignore any replylint.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Language of threads that give no hint (en, ru, bg); detected when not given.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Colour in human output (auto: when stdout is a terminal and NO_COLOR is unset).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// A thread JSON file, or `-` for standard input.
    #[arg(value_name = "THREAD", required_unless_present = "reply", conflicts_with_all = ["reply", "message"])]
    thread: Option<String>,
    /// Plain-text customer message (repeat for several, oldest first).
    #[arg(long, value_name = "FILE", requires = "reply")]
    message: Vec<PathBuf>,
    /// Plain-text draft reply.
    #[arg(long, value_name = "FILE")]
    reply: Option<PathBuf>,
    /// Channel of a plain-text thread (chat, email, social).
    #[arg(long, value_name = "CHANNEL")]
    channel: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    settings: Settings,
}

#[derive(clap::Args)]
struct AuditArgs {
    /// Inputs: files, globs (quoted: 'exports/*.jsonl'), or `-` for standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Input format; detected from the content when not given.
    #[arg(long, value_name = "FORMAT", value_parser = ["jsonl", "csv", "zendesk", "intercom", "freshdesk"])]
    input_format: Option<String>,
    /// CSV: the header that holds a field, e.g. `conversation_id=ticket` (repeatable). Fields:
    /// conversation_id, role, text, author, created_at, channel, lang.
    #[arg(long, value_name = "FIELD=HEADER")]
    csv_column: Vec<String>,
    /// Output format (`summary`: only the summary).
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    format: AuditFormat,
    /// Also print the summary on standard error.
    #[arg(long)]
    summary: bool,
    /// Write a self-contained HTML report to this file.
    #[arg(long, value_name = "PATH")]
    report: Option<PathBuf>,
    /// Mask e-mails, phone numbers, card numbers and order numbers in every output.
    #[arg(long)]
    redact: bool,
    /// Never show the progress bar (it only shows when standard error is a terminal).
    #[arg(long)]
    no_progress: bool,
    #[command(flatten)]
    settings: Settings,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    Human,
    Json,
    Jsonl,
    Csv,
    Summary,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Exit codes of the contract.
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

// Many small, short-lived allocations per message: jemalloc serves them faster than the
// system allocator (the audit benchmark's CPU time, about 15% less) at a modest peak.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_CLEAN
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Audit(args) => audit(args),
        Command::Rules => list_rules(),
        Command::Explain { rule } => explain(&rule),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            failure.print();
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Everything that ends a run with exit code 2.
enum Failure {
    Input(InputError),
    Config(ConfigError),
    Usage(String),
}

impl Failure {
    fn print(&self) {
        match self {
            Failure::Input(err) => eprintln!("error: {err}"),
            Failure::Usage(message) => eprintln!("error: {message}"),
            Failure::Config(err) => {
                let handler = miette::GraphicalReportHandler::new_themed(
                    miette::GraphicalTheme::unicode_nocolor(),
                );
                let mut out = String::new();
                if handler.render_report(&mut out, err).is_ok() {
                    eprint!("{out}");
                } else {
                    eprintln!("error: {err}");
                }
            }
        }
    }
}

impl From<InputError> for Failure {
    fn from(err: InputError) -> Self {
        Failure::Input(err)
    }
}

impl From<ConfigError> for Failure {
    fn from(err: ConfigError) -> Self {
        Failure::Config(err)
    }
}

fn load_config(common: &Settings) -> Result<Config, Failure> {
    let mut config = if common.no_config {
        Config::default()
    } else if let Some(path) = &common.config {
        Config::load(path)?
    } else {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        match Config::discover(&cwd) {
            Some(path) => Config::load(&path)?,
            None => Config::default(),
        }
    };
    if let Some(code) = &common.lang {
        let lang = Lang::from_code(code).ok_or_else(|| {
            Failure::Usage(format!(
                "unsupported language `{code}` (supported: en, ru, bg)"
            ))
        })?;
        config.default_lang = Some(lang);
    }
    if let Some(level) = &common.fail_on {
        config.fail_on = FailOn::parse(level);
    }
    Ok(config)
}

fn style(common: &Settings) -> Style {
    let color = match common.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    Style { color, width: 100 }
}

fn fail_level(config: &Config) -> FailOn {
    config
        .fail_on
        .unwrap_or(FailOn::Severity(replylint::Severity::Warning))
}

fn read_source(name: &str) -> Result<Vec<u8>, InputError> {
    if name == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|err| InputError::new("<stdin>", format!("cannot read: {err}")))?;
        Ok(bytes)
    } else {
        fs::read(name).map_err(|err| InputError::new(name, format!("cannot read: {err}")))
    }
}

fn display_name(name: &str) -> &str {
    if name == "-" { "<stdin>" } else { name }
}

fn read_text_file(path: &Path) -> Result<String, InputError> {
    let name = path.display().to_string();
    let bytes =
        fs::read(path).map_err(|err| InputError::new(&name, format!("cannot read: {err}")))?;
    Ok(input::decode_utf8(&name, &bytes)?.to_string())
}

fn check(args: CheckArgs) -> Result<u8, Failure> {
    let config = load_config(&args.settings)?;
    let (conversation, source_name) = match (&args.thread, &args.reply) {
        (Some(thread), _) => {
            let name = display_name(thread);
            let bytes = read_source(thread)?;
            let text = input::decode_utf8(name, &bytes)?;
            let mut conversation = input::parse_thread(name, text, 0)?;
            input::require_agent_draft(name, &conversation)?;
            if args.channel.is_some() {
                conversation.channel = args.channel.clone();
            }
            (conversation, name.to_string())
        }
        (None, Some(reply)) => {
            let mut messages = Vec::new();
            for path in &args.message {
                messages.push(Message::customer(read_text_file(path)?));
            }
            messages.push(Message::agent(read_text_file(reply)?));
            let mut conversation = Conversation::new(messages);
            conversation.channel = args.channel.clone();
            (conversation, reply.display().to_string())
        }
        (None, None) => {
            return Err(Failure::Usage(
                "give a thread file, `-`, or --reply FILE".into(),
            ));
        }
    };
    let fail_on = fail_level(&config);
    let linter = Linter::from_config(config)?;
    let diagnostics = linter.check(&conversation);
    let mut out = io::stdout().lock();
    match args.format {
        Format::Json => {
            let body = CheckOutput {
                diagnostics: &diagnostics,
            };
            let _ = writeln!(out, "{}", serde_json::to_string(&body).unwrap_or_default());
        }
        Format::Human => {
            let style = style(&args.settings);
            for diagnostic in &diagnostics {
                let _ = write!(
                    out,
                    "{}",
                    report::render(diagnostic, &conversation, &source_name, style)
                );
            }
            let _ = writeln!(out, "{}: {}", source_name, report::summary(&diagnostics));
        }
    }
    Ok(exit_for(&diagnostics, fail_on))
}

/// `check --format json`: `{"diagnostics": [...]}`.
#[derive(serde::Serialize)]
struct CheckOutput<'a> {
    diagnostics: &'a [Diagnostic],
}

fn exit_for(diagnostics: &[Diagnostic], fail_on: FailOn) -> u8 {
    if diagnostics.iter().any(|d| fail_on.fails(d.severity)) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn audit(args: AuditArgs) -> Result<u8, Failure> {
    let settings = &args.settings;
    let config = load_config(settings)?;
    let fail_on = fail_level(&config);
    let input_format = args
        .input_format
        .as_deref()
        .map(str::parse::<audit::InputFormat>)
        .transpose()
        .map_err(Failure::Usage)?;
    let columns = audit::CsvColumns::with_overrides(&args.csv_column).map_err(Failure::Usage)?;
    let linter = Linter::from_config(config)?;
    let options = audit::AuditOptions {
        inputs: args.files,
        input_format,
        columns,
        output: match args.format {
            AuditFormat::Human => audit::OutputFormat::Human,
            AuditFormat::Json => audit::OutputFormat::Json,
            AuditFormat::Jsonl => audit::OutputFormat::Jsonl,
            AuditFormat::Csv => audit::OutputFormat::Csv,
            AuditFormat::Summary => audit::OutputFormat::Summary,
        },
        redact: args.redact,
        fail_on,
        style: style(settings),
        summary_to_stderr: args.summary,
        report: args.report,
        progress: !args.no_progress && audit::stderr_is_terminal(),
    };
    let mut out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let mut errors = io::stderr().lock();
    let result = audit::run(&linter, &options, &mut out, &mut errors).map_err(Failure::Usage)?;
    let _ = out.flush();
    Ok(if result.summary.bad_records > 0 {
        EXIT_USAGE
    } else if result.failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

fn list_rules() -> Result<u8, Failure> {
    let mut out = io::stdout().lock();
    for rule in rules::all() {
        let _ = writeln!(
            out,
            "{:<24} {:<8} {}",
            rule.id(),
            rule.default_severity(),
            rule.summary()
        );
    }
    Ok(EXIT_CLEAN)
}

fn explain(id: &str) -> Result<u8, Failure> {
    match rules::doc(id) {
        Some(doc) if rules::is_known(id) => {
            println!("{doc}");
            Ok(EXIT_CLEAN)
        }
        _ => Err(Failure::Usage(format!(
            "unknown rule `{id}`; `replylint rules` lists them"
        ))),
    }
}
