//! What migrate, status and validate print: problems (with GitHub
//! annotations at file:line:column), the plan, and the safety findings.

use std::io::Write;

use serde::Serialize;

use crate::exit::{Exit, reported, usage};
use crate::lint;
use crate::migrate::run::{Options, Outcome};
use crate::migrate::{MigrationFile, Problem};
use crate::output::{print_json, table};

pub(super) fn github() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// A workflow annotation (stderr, so that --json stays clean).
pub(super) fn annotate(file: Option<&str>, message: &str) {
    annotate_at(file, None, None, message);
}

/// A workflow annotation at a line (and column) of a file.
pub(super) fn annotate_at(
    file: Option<&str>,
    line: Option<usize>,
    column: Option<usize>,
    message: &str,
) {
    if github() {
        let message = message
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        let mut at = String::new();
        if let Some(f) = file {
            at.push_str(&format!("file={f},"));
        }
        if let Some(l) = line {
            at.push_str(&format!("line={l},"));
        }
        if let Some(c) = column {
            at.push_str(&format!("col={c},"));
        }
        eprintln!("::error {at}title=neonops::{message}");
    }
}

#[derive(Serialize)]
struct ProblemReport<'a> {
    ok: bool,
    exit_code: u8,
    problems: &'a [Problem],
}

/// The error line of a problems report: what they concern, how many.
pub(crate) fn problems_summary(what: &str, problems: &[Problem]) -> String {
    format!("{what}: {} problem(s), nothing was changed", problems.len())
}

/// Report every problem at once; the error maps to exit 2. A single
/// problem is the error line itself; several are a table above it.
pub(crate) fn problems_error(json: bool, what: &str, problems: &[Problem]) -> anyhow::Error {
    for p in problems {
        annotate_at(Some(&p.subject), p.line, p.column, &p.message);
    }
    if json {
        print_json(&ProblemReport {
            ok: false,
            exit_code: Exit::Usage.code(),
            problems,
        });
        return reported(Exit::Usage, problems_summary(what, problems));
    }
    if let [p] = problems {
        return usage(format!("{p} (nothing was changed)"));
    }
    let mut t = table(&["input", "problem"]);
    for p in problems {
        let at = match (p.line, p.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", p.subject),
            (Some(l), None) => format!("{}:{l}", p.subject),
            _ => p.subject.clone(),
        };
        t.add_row(vec![at, p.message.clone()]);
    }
    eprintln!("{t}");
    usage(problems_summary(what, problems))
}

/// A migration of the plan (`migrate --json`).
#[derive(Serialize)]
pub(super) struct Planned<'a> {
    pub version: i32,
    pub name: &'a str,
    pub file: String,
    pub transaction: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<&'a str>,
    /// Each statement with the locks it takes and what it does (the plan).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<&'a lint::Analyzed>,
}

pub(super) fn planned<'a>(
    files: &'a [MigrationFile],
    out: &'a Outcome,
    plan: bool,
) -> Vec<Planned<'a>> {
    out.planned
        .iter()
        .map(|&i| {
            let file = files[i].path.display().to_string();
            let statements = match (&out.analysis, plan) {
                (Some(a), true) => a
                    .statements_analyzed
                    .iter()
                    .filter(|s| s.file == file)
                    .collect(),
                _ => Vec::new(),
            };
            Planned {
                version: files[i].version,
                name: &files[i].name,
                file,
                transaction: !files[i].no_transaction,
                sql: plan.then_some(files[i].sql.as_str()),
                statements,
            }
        })
        .collect()
}

fn lock_cell(e: &lint::Effect) -> (String, String) {
    match e.strongest() {
        None => ("none on existing tables".into(), "nothing".into()),
        Some(s) => {
            let mut t = format!("{} on {}", s.mode.name(), s.table);
            for c in e.locks.iter().filter(|c| c.table != s.table) {
                t.push_str(&format!(" + {} on {}", c.mode.name(), c.table));
            }
            if e.cascades {
                t.push_str(" + what depends on it (CASCADE)");
            }
            (t, s.mode.blocks().to_string())
        }
    }
}

/// `migrate --plan`: each pending statement, the lock it takes, what that
/// blocks and for how long, and the findings with their safe alternative.
pub(super) fn print_plan(
    planned: &[Planned],
    analysis: Option<&lint::Analysis>,
    opts: &Options,
    version: Option<i32>,
) {
    if planned.is_empty() {
        println!(
            "nothing to apply: the database is at version {}",
            version.map_or("none".into(), |v| v.to_string())
        );
        return;
    }
    let mut stdout = std::io::stdout().lock();
    for p in planned {
        println!(
            "-- would apply V{}__{} ({}) from {}",
            p.version,
            p.name,
            if p.transaction {
                "in its own transaction, with its history row"
            } else {
                "outside a transaction, statement by statement"
            },
            p.file
        );
        let mut t = table(&["at", "statement", "lock", "blocks", "held"]);
        for s in &p.statements {
            let (lock, blocks) = lock_cell(&s.effect);
            let held = if s.effect.strongest().is_none() {
                String::new()
            } else if s.effect.outside_transaction.is_some() || !p.transaction {
                s.effect.duration().to_string()
            } else {
                format!("{}, then until COMMIT", s.effect.duration())
            };
            t.add_row(vec![
                format!("{}:{}", s.line, s.column),
                s.statement.clone(),
                lock,
                blocks,
                held,
            ]);
        }
        println!("{t}");
        let here: Vec<lint::Finding> = analysis
            .map(|a| {
                a.findings
                    .iter()
                    .filter(|f| f.file == p.file)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if here.is_empty() {
            println!();
        }
        // Each finding ends with its blank line.
        let _ = lint::report::write_findings(&mut stdout, &here);
    }
    let statements: usize = planned.iter().map(|p| p.statements.len()).sum();
    println!(
        "{} migration(s), {statements} statement(s); each statement waits at most {} for its lock (lock_timeout, then the migration is retried up to {} times) and runs at most {} (statement_timeout)",
        planned.len(),
        humantime::format_duration(opts.lock_timeout),
        opts.lock_retries,
        humantime::format_duration(opts.statement_timeout),
    );
    if let Some(a) = analysis {
        println!("{}", counts(a));
    }
}

/// `1 error, 2 warnings, 0 info (1 allowed)`.
pub(super) fn counts(a: &lint::Analysis) -> String {
    let n = |s: lint::Severity| {
        a.findings
            .iter()
            .filter(|f| f.allowed.is_none() && f.severity == s)
            .count()
    };
    let allowed = a.findings.iter().filter(|f| f.allowed.is_some()).count();
    format!(
        "safety analysis: {} error(s), {} warning(s), {} info{}",
        n(lint::Severity::Error),
        n(lint::Severity::Warning),
        n(lint::Severity::Info),
        if allowed > 0 {
            format!(" ({allowed} allowed)")
        } else {
            String::new()
        }
    )
}

/// Before applying: what the analysis finds in the migrations to apply (stderr).
pub(super) fn print_review(a: &lint::Analysis) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{} in the migrations to apply:\n", counts(a));
    let _ = lint::report::write_findings(&mut stderr, &a.findings);
}
