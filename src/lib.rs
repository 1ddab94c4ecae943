//! neonops: schema migrations and database operations for Neon serverless
//! PostgreSQL, and any PostgreSQL behind a PgBouncer-style pooler.

// The library and the sandbox, under the names the binary's code uses.
pub use neonops_core::{
    backoff, classify, config, connect, doctor, endpoint, error, fleet, lint, migrate, neon_api,
    quote, rows, runtime, schema, sql, target,
};
pub use neonops_sandbox as sandbox;

pub mod annotation;
pub mod ci;
pub mod cli;
pub mod commands;
pub mod exit;
pub mod output;
pub mod settings;

use clap::Parser;
use serde::Serialize;

use crate::cli::{Cli, Command};
use crate::connect::ConnectError;
pub use crate::exit::Exit;

/// Parse the command line, run the command, and return the exit code.
/// glibc's allocator gives memory back to the system as soon as the top
/// of a heap is free, and takes it again on the next allocation: for a
/// process that lives a few milliseconds and parses files in a loop (each
/// parse frees its buffers), hundreds of brk and mprotect calls. Keep what
/// was taken, and take it in larger steps (address space, not memory: pages
/// are used only when touched).
fn short_lived_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; no memory is touched.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

pub fn run() -> Exit {
    // A closed pipe ends the process quietly, as other command-line tools do.
    // SAFETY: setting a signal disposition to its default has no preconditions.
    unsafe {
        let _ = nix::sys::signal::signal(
            nix::sys::signal::Signal::SIGPIPE,
            nix::sys::signal::SigHandler::SigDfl,
        );
    }
    short_lived_allocator();
    // .env is loaded before parsing, so that it can set what flags default to.
    let no_dotenv = std::env::args_os().any(|a| a == "--no-dotenv")
        || std::env::var("NEONOPS_NO_DOTENV")
            .is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    let dotenv_error = if no_dotenv {
        None
    } else {
        match dotenvy::dotenv() {
            Err(e) if e.not_found() => None,
            Err(e) => Some(e),
            Ok(_) => None,
        }
    };
    let mut cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return command_line_error(&e),
    };
    // The run's output, once: `--format json` is `--json` for the commands
    // that have it (their errors too), a CI format makes a document of the
    // report.
    cli.global.json |= format_json(&cli.command);
    let json = cli.global.json;
    output::init(
        cli.global.json,
        cli.global.quiet,
        document_format(&cli.command),
    );
    output::init_logging(cli.global.verbose, cli.global.quiet);
    if let Some(e) = dotenv_error {
        return report(
            &exit::usage(format!(
                "cannot load .env: {e} (fix the file, or pass --no-dotenv)"
            )),
            json,
        );
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return report(&anyhow::Error::from(e), json),
    };
    std::panic::set_hook(Box::new(panic_message));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async {
            test_panic(&cli.global);
            let exit = dispatch(cli).await;
            runtime::settle().await;
            exit
        })
    }));
    match outcome {
        Ok(Ok(exit)) => exit,
        Ok(Err(e)) => report(&e, json),
        Err(_) => {
            if json || output::document().is_some() {
                output::print_error(&ErrorReport {
                    ok: false,
                    exit_code: Exit::Internal.code(),
                    error: ErrorBody {
                        kind: Exit::Internal,
                        message: "neonops hit a bug (see stderr)".into(),
                        connect: None,
                        diagnosis: None,
                        sqlstate: None,
                        blocker: None,
                    },
                });
            }
            Exit::Internal
        }
    }
}

/// A command line clap rejects (or `--help`, `--version`): said on stderr
/// (not with -qq), and as JSON with --json.
fn command_line_error(e: &clap::Error) -> Exit {
    if !e.use_stderr() {
        let _ = e.print();
        return Exit::Success;
    }
    // A usage error is said on stderr, but not with -qq: the exit
    // code (and --json's report) says it.
    if quiet_asked(std::env::args_os()) < 2 {
        let _ = e.print();
    }
    // Errors are JSON with --json, those of the command line too.
    if std::env::args_os().any(|a| a == "--json") {
        let text = e.render().to_string();
        let message = text
            .trim()
            .strip_prefix("error: ")
            .unwrap_or(text.trim())
            .lines()
            .take_while(|l| !l.starts_with("Usage:"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        output::print_error(&ErrorReport {
            ok: false,
            exit_code: Exit::Usage.code(),
            error: ErrorBody {
                kind: Exit::Usage,
                message,
                connect: None,
                diagnosis: None,
                sqlstate: None,
                blocker: None,
            },
        });
    }
    Exit::Usage
}

/// The `-q`s of a command line clap could not parse (`-q`, `-qq`,
/// `--quiet`, each counted), up to the first `--`. (A value that looks
/// like `-qq` counts too: a usage error is then not said on stderr, and
/// the exit code still says it.)
fn quiet_asked(args: impl Iterator<Item = std::ffi::OsString>) -> u8 {
    let mut n = 0u8;
    for a in args.skip(1) {
        let Some(a) = a.to_str() else { continue };
        if a == "--" {
            break;
        }
        if a == "--quiet" {
            n = n.saturating_add(1);
        } else if let Some(short) = a.strip_prefix('-')
            && !short.is_empty()
            && short.bytes().all(|b| matches!(b, b'q' | b'v' | b'y'))
        {
            // A cluster of the flags that take no value (-q, -v, -y).
            n = n.saturating_add(short.bytes().filter(|&b| b == b'q').count() as u8);
        }
    }
    n
}

/// A panic on purpose, with the raw URL in its message, so that a test can
/// prove the panic hook masks it (never set it otherwise). Only in debug
/// builds, which the tests run: a release build has no such hook.
fn test_panic(g: &cli::GlobalArgs) {
    if cfg!(debug_assertions)
        && std::env::var("NEONOPS_INTERNAL_TEST_PANIC").is_ok_and(|v| v == "1")
    {
        let raw = g
            .database_url
            .clone()
            .or_else(|| std::env::var("DATABASE_URL").ok())
            .unwrap_or_default();
        match endpoint::DatabaseUrl::parse(&raw) {
            Ok(u) => panic!(
                "forced panic for a test, while holding {}",
                u.reveal_for_export()
            ),
            Err(_) => panic!("forced panic for a test"),
        }
    }
}

/// A panic is a bug: say so, with where it happened, and never a secret
/// (every secret neonops read is masked in the message).
fn panic_message(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let location = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    output::error_line(format_args!(
        "neonops hit a bug{location}: {} (exit 4; please report it with the command you ran: secrets are masked here)",
        endpoint::secret::scrub(&payload)
    ));
}

/// The CI format a command was asked for (`--format markdown|sarif|junit`),
/// with the kind of report it makes.
fn document_format(command: &Command) -> Option<(ci::Format, ci::Kind)> {
    use ci::Kind;
    let (format, kind) = match command {
        Command::Lint(a) => (a.format.and_then(cli::LintFormat::document), Kind::Lint),
        Command::Doctor(a) => (a.format.and_then(cli::Format::document), Kind::Doctor),
        Command::Migrate(a) => (a.out.document(), Kind::Migrate),
        Command::Status(a) => (a.out.document(), Kind::Status),
        Command::Validate(a) => (a.out.document(), Kind::Validate),
        Command::Drift(a) => (a.out.document(), Kind::Drift),
        Command::Diff(a) => (a.out.document(), Kind::Diff),
        Command::Check(a) => (a.out.document(), Kind::Check),
        Command::Ci(a) => (a.out.document(), Kind::Ci),
        _ => (None, Kind::Error),
    };
    format.map(|f| (f, kind))
}

/// `--format json`, where a command has `--format`, is `--json`.
fn format_json(command: &Command) -> bool {
    let json = Some(cli::ReportFormat::Json);
    match command {
        Command::Migrate(a) => a.out.format == json,
        Command::Status(a) | Command::Validate(a) => a.out.format == json,
        Command::Drift(a) => a.out.format == json,
        Command::Diff(a) => a.out.format == json,
        Command::Check(a) => a.out.format == json,
        Command::Ci(a) => a.out.format == json,
        _ => false,
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<Exit> {
    let g = &cli.global;
    match cli.command {
        Command::Migrate(args) => commands::migrate::migrate(g, args).await,
        Command::Status(args) => commands::migrate::status(g, args, false).await,
        Command::Validate(args) => commands::migrate::status(g, args, true).await,
        Command::Unlock => commands::migrate::unlock(g).await,
        Command::Lint(args) => commands::lint::run(g, args).await,
        Command::New(args) => commands::migrate::new(g, args),
        Command::Diff(args) => commands::schema::diff(g, args).await,
        Command::Drift(args) => commands::schema::drift(g, args).await,
        Command::Doctor(args) => commands::doctor::run(g, args),
        Command::Fleet(cmd) => commands::fleet::run(g, cmd).await,
        Command::Url(cmd) => commands::url::run(g, cmd),
        Command::Check(args) => commands::check::run(g, args),
        Command::Ci(args) => commands::ci::run(g, args).await,
        Command::Sandbox(cmd) => commands::sandbox::run(cmd).await,
        Command::Init(args) => commands::init::run(g, args),
        Command::Completions { shell } => {
            commands::docs::completions(shell)?;
            Ok(Exit::Success)
        }
        Command::Man => {
            commands::docs::man()?;
            Ok(Exit::Success)
        }
    }
}

#[derive(Serialize)]
struct ErrorReport<'a> {
    ok: bool,
    exit_code: u8,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    kind: Exit,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    connect: Option<&'a ConnectError>,
    /// A connection failure named, as `doctor` names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<doctor::diagnose::Diagnosis>,
    /// The server's SQLSTATE, when a query neonops sent failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    sqlstate: Option<String>,
    /// The session that held the migration lock, when the wait ran out.
    #[serde(skip_serializing_if = "Option::is_none")]
    blocker: Option<&'a migrate::run::Backend>,
}

/// Input problems in `--json` (exit 2).
#[derive(Serialize)]
struct ProblemReport<'a> {
    ok: bool,
    exit_code: u8,
    problems: &'a [migrate::Problem],
}

/// Print an error once, at the top (the whole cause chain on one line, and
/// the fix of a connection failure neonops recognises; input problems as a
/// table when there are several), and pick its exit code. With `--json`,
/// its JSON too, unless the command's report is already on stdout (it says
/// what failed).
fn report(e: &anyhow::Error, json: bool) -> Exit {
    let exit = Exit::for_error(e);
    let printed = output::json_written();
    if let Some(p) = e.chain().find_map(|c| c.downcast_ref::<exit::Problems>()) {
        output::problems(
            &p.problems
                .iter()
                .map(|x| (x.subject.clone(), x.line, x.column, x.message.clone()))
                .collect::<Vec<_>>(),
        );
        if (json || output::document().is_some()) && !printed {
            output::print_error(&ProblemReport {
                ok: false,
                exit_code: exit.code(),
                problems: &p.problems,
            });
        }
        match &p.problems[..] {
            [one] => output::error_line(format_args!("{one} (nothing was changed)")),
            _ => output::error_line(p),
        }
        return exit;
    }
    let mut message = exit::message(e);
    let connect = e.chain().find_map(|c| c.downcast_ref::<ConnectError>());
    let diagnosis = connect
        .map(doctor::diagnose::diagnose)
        .filter(|d| d.recognised());
    if let Some(d) = &diagnosis
        && !message.contains(&d.fix)
    {
        message = crate::exit::with_fix(&message, &d.fix);
    }
    let run = e
        .chain()
        .find_map(|c| c.downcast_ref::<migrate::run::RunError>());
    output::error_line(&message);
    if (json || output::document().is_some()) && !printed {
        output::print_error(&ErrorReport {
            ok: false,
            exit_code: exit.code(),
            error: ErrorBody {
                kind: exit,
                message,
                connect,
                diagnosis,
                sqlstate: classify::sqlstate(e),
                blocker: run.and_then(|r| r.blocker()),
            },
        });
    }
    exit
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_quiet_flags_of_an_unparsed_command_line_are_counted() {
        let count = |args: &[&str]| super::quiet_asked(args.iter().map(std::ffi::OsString::from));
        assert_eq!(count(&["neonops", "migrate", "--bogus"]), 0);
        assert_eq!(count(&["neonops", "-q", "migrate", "--bogus"]), 1);
        assert_eq!(count(&["neonops", "-qq", "migrate"]), 2);
        assert_eq!(count(&["neonops", "-q", "--quiet", "lint"]), 2);
        assert_eq!(count(&["neonops", "lint", "--", "-qq"]), 0);
        assert_eq!(count(&["neonops", "-qyq", "lint"]), 2);
        assert_eq!(count(&["neonops", "--dir", "-qq"]), 2);
    }
}
