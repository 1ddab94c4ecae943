//! Output: one printer, chosen once from the global flags, that every
//! command's results (human tables with comfy-table, or `--json`, on
//! stdout) and notes (stderr; none with `-q`) go through; logs through
//! tracing on stderr.

use crate::annotation::{Annotation, Level};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use tracing_subscriber::EnvFilter;

/// Logs go to stderr. `-v` info, `-vv` debug, `-vvv` trace; `-q` errors
/// only, `-qq` none; `NEONOPS_LOG` (an EnvFilter directive) overrides.
pub fn init_logging(verbose: u8, quiet: u8) {
    let level = match (quiet, verbose) {
        (2.., _) => "off",
        (1, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        (_, 2) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_env("NEONOPS_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| crate::endpoint::secret::Scrubbing(std::io::stderr()))
        .with_ansi(colour(&std::io::stderr()))
        .with_target(verbose >= 2)
        .try_init();
}

/// Colour only for a terminal, and never when `NO_COLOR` is set to
/// anything (<https://no-color.org>).
pub fn colour(stream: &impl std::io::IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    if let Some(width) = columns() {
        t.set_width(width);
    } else if !t.is_tty() {
        // Piped or redirected: wrap to a width that reads well in logs.
        t.set_width(120);
    }
    t
}

/// `COLUMNS`, as shells set it and other tools read it: the width tables
/// wrap to (a CI log that is wider than 120, a terminal's size overridden).
fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|&w| w >= 40)
}

/// The run's output, decided once from the command line before the
/// command runs (`init`): what stdout carries (text, `--json`, or a CI
/// document) and how much stderr says (`-q`, `-qq`). Every printer, error
/// line, annotation and progress line reads it.
#[derive(Debug)]
struct Shell {
    json: bool,
    /// `-q` (1) or `-qq` (2).
    quiet: u8,
    /// The CI format of this run's report, and the kind of report it is.
    document: Option<(crate::ci::Format, crate::ci::Kind)>,
    /// Whether the run's one machine-readable report went to stdout: an
    /// error after it is not printed as a second one (the report says it).
    wrote_json: std::sync::atomic::AtomicBool,
}

static SHELL: std::sync::OnceLock<Shell> = std::sync::OnceLock::new();

/// Set the run's output once (later calls change nothing). Before it, and
/// for what fails before the command line is read: text, every note.
pub fn init(json: bool, quiet: u8, document: Option<(crate::ci::Format, crate::ci::Kind)>) {
    let _ = SHELL.set(Shell {
        json,
        quiet,
        document,
        wrote_json: std::sync::atomic::AtomicBool::new(false),
    });
}

fn shell() -> &'static Shell {
    static DEFAULT: Shell = Shell {
        json: false,
        quiet: 0,
        document: None,
        wrote_json: std::sync::atomic::AtomicBool::new(false),
    };
    SHELL.get().unwrap_or(&DEFAULT)
}

/// The run's printer.
pub fn printer() -> Printer {
    let s = shell();
    Printer {
        json: s.json || s.document.is_some(),
        quiet: s.quiet > 0,
    }
}

/// Where a command's output goes: the run's ([`printer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printer {
    json: bool,
    quiet: bool,
}

impl Printer {
    /// This printer, its results as JSON or not (a command whose own
    /// `--format` decides, whatever `--json` says); a CI document stays one.
    pub fn with_json(self, json: bool) -> Printer {
        Printer {
            json: json || document().is_some(),
            ..self
        }
    }

    /// Results are machine-readable on stdout (JSON, or a CI format).
    pub fn json(self) -> bool {
        self.json
    }

    /// Nothing but errors on stderr.
    pub fn quiet(self) -> bool {
        self.quiet
    }

    /// Progress is drawn in place on stderr: a terminal, and no `-q`.
    pub fn draws_progress(self) -> bool {
        !self.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())
    }

    /// A progress bar or spinner on stderr (`len`: its steps, if counted),
    /// drawn as `template` says, ticking every `tick`.
    pub fn progress_bar(
        self,
        len: Option<u64>,
        style: indicatif::ProgressStyle,
        tick: std::time::Duration,
    ) -> indicatif::ProgressBar {
        let b =
            indicatif::ProgressBar::with_draw_target(len, indicatif::ProgressDrawTarget::stderr());
        b.set_style(style);
        b.enable_steady_tick(tick);
        b
    }

    /// A result's human form on stdout (nothing with `--json`, whose report
    /// carries it).
    pub fn out(self, text: impl std::fmt::Display) {
        if !self.json {
            println!("{text}");
        }
    }

    /// A note or a progress line on stderr: never with `-q`.
    pub fn note(self, text: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// A result: its JSON with `--json`, else the text `human` makes.
    pub fn report<T: Serialize>(self, value: &T, human: impl FnOnce() -> String) {
        if self.json {
            print_json(value);
        } else {
            println!("{}", human());
        }
    }

    /// A result that only has a JSON form (its text was shown as it went).
    pub fn json_only<T: Serialize>(self, value: &T) {
        if self.json {
            print_json(value);
        }
    }
}

/// A generated file (completions, the man page) written to stdout as it
/// is, through the one owner of stdout.
pub fn raw(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    write(&mut out)?;
    std::io::Write::flush(&mut out)
}

/// Whether the run's machine-readable report went to stdout already.
pub fn json_written() -> bool {
    shell()
        .wrote_json
        .load(std::sync::atomic::Ordering::Relaxed)
}

/// The CI format of this run's report (`--format markdown|sarif|junit`),
/// and the kind of report it is.
pub fn document() -> Option<(crate::ci::Format, crate::ci::Kind)> {
    shell().document
}

/// The run's one machine-readable report on stdout: its JSON, or the CI
/// document made from that JSON.
pub fn print_json<T: Serialize>(value: &T) {
    emit(value, None);
}

/// An error's report (`{ok: false, error}`), as the run's report.
pub fn print_error<T: Serialize>(value: &T) {
    emit(value, Some(crate::ci::Kind::Error));
}

fn emit<T: Serialize>(value: &T, kind: Option<crate::ci::Kind>) {
    shell()
        .wrote_json
        .store(true, std::sync::atomic::Ordering::Relaxed);
    match document() {
        Some((format, own)) => {
            let v = serde_json::to_value(value).expect("serialisable");
            print!("{}", crate::ci::render(kind.unwrap_or(own), &v, format));
        }
        None => println!(
            "{}",
            serde_json::to_string_pretty(value).expect("serialisable")
        ),
    }
}

fn quiet_level() -> u8 {
    shell().quiet
}

/// An error line on stderr (`error: …`): with `-q` too; not with `-qq`,
/// where the exit code (and `--json`'s report) says it.
pub fn error_line(text: impl std::fmt::Display) {
    if quiet_level() < 2 {
        eprintln!("error: {text}");
    }
}

/// Running in GitHub Actions: failures are annotated too.
pub fn github() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// A workflow annotation (stderr, so that --json stays clean).
pub fn annotate(file: Option<&str>, message: &str) {
    annotate_at(file, None, None, message);
}

/// A workflow annotation at a line (and column) of a file.
pub fn annotate_at(file: Option<&str>, line: Option<usize>, column: Option<usize>, message: &str) {
    annotation(Level::Error, file, line, column, message);
}

/// A GitHub Actions annotation of the given level, when running there.
pub fn annotation(
    level: Level,
    file: Option<&str>,
    line: Option<usize>,
    column: Option<usize>,
    message: &str,
) {
    // An error's annotation is an error (shown with -q); a warning's is not.
    let shown = match level {
        Level::Error => quiet_level() < 2,
        Level::Warning | Level::Notice => quiet_level() == 0,
    };
    if github() && shown {
        eprintln!(
            "{}",
            Annotation::new(level, "neonops", message).at(file, line, column)
        );
    }
}

/// Input problems on stderr, each annotated: a list when there are several
/// (one is said by the error line itself), a line each and never wrapped,
/// so that what a fix says to write (`-- neonops:no-transaction`) can be
/// copied as it is. Each is (where, what).
pub fn problems(rows: &[(String, Option<usize>, Option<usize>, String)]) {
    for (subject, line, column, message) in rows {
        annotate_at(Some(subject), *line, *column, message);
    }
    if rows.len() > 1 && quiet_level() < 2 {
        let mut out = String::new();
        for (subject, line, column, message) in rows {
            let at = match (line, column) {
                (Some(l), Some(c)) => format!("{subject}:{l}:{c}"),
                (Some(l), None) => format!("{subject}:{l}"),
                _ => subject.clone(),
            };
            out.push_str(&format!("  {at}: {message}\n"));
        }
        eprint!("{out}");
    }
}

/// How a connection's retries are shown: a status line on a terminal, log
/// lines when stderr is a file or a pipe; nothing with `-q`.
pub fn connect_progress() -> crate::connect::Progress {
    use crate::connect::Progress;
    let p = printer();
    if p.quiet() {
        Progress::Silent
    } else if p.draws_progress() {
        Progress::Line(std::sync::Arc::new(TermLine))
    } else {
        Progress::Log
    }
}

/// The status line on stderr's terminal, cut to its width.
#[derive(Debug)]
struct TermLine;

impl crate::connect::StatusLine for TermLine {
    fn show(&self, text: &str) {
        let term = console::Term::stderr();
        let width = term.size().1 as usize;
        let _ = term.clear_line();
        let _ = term.write_str(&console::truncate_str(text, width.max(20) - 1, "…"));
    }

    fn clear(&self) {
        let _ = console::Term::stderr().clear_line();
    }
}
