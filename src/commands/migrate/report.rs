//! What migrate, status and validate print: problems (with GitHub
//! annotations at file:line:column), the plan, and the safety findings.

use serde::Serialize;

use crate::lint;
use crate::migrate::MigrationFile;
use crate::migrate::run::{Options, Outcome};
use crate::output::table;

pub(super) use crate::output::{annotate, annotate_at};

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
    /// `--changed-since`: how the change touched it (None: outside it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<crate::ci::changed::Change>,
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
                changed: None,
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
pub(super) fn plan_text(
    planned: &[Planned],
    analysis: Option<&lint::Analysis>,
    opts: &Options,
    version: Option<i32>,
) -> String {
    use std::fmt::Write as _;
    if planned.is_empty() {
        return format!(
            "nothing to apply: the database is at version {}",
            version.map_or("none".into(), |v| v.to_string())
        );
    }
    let mut out = String::new();
    for p in planned {
        let _ = writeln!(
            out,
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
        let _ = writeln!(out, "{t}");
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
            out.push('\n');
        }
        // Each finding ends with its blank line.
        out.push_str(&crate::commands::lint::report::findings_text(&here));
    }
    let statements: usize = planned.iter().map(|p| p.statements.len()).sum();
    let _ = write!(
        out,
        "{} migration(s), {statements} statement(s); each statement waits at most {} for its lock (lock_timeout, then the migration is retried up to {} times) and runs at most {} (statement_timeout)",
        planned.len(),
        humantime::format_duration(opts.lock_timeout),
        opts.lock_retries,
        humantime::format_duration(opts.statement_timeout),
    );
    if let Some(a) = analysis {
        let _ = write!(out, "\n{}", counts(a));
    }
    out
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

/// Before applying: what the analysis finds in the migrations to apply (a
/// note, on stderr).
pub(super) fn review_text(a: &lint::Analysis) -> String {
    format!(
        "{} in the migrations to apply:\n\n{}",
        counts(a),
        crate::commands::lint::report::findings_text(&a.findings)
    )
}
