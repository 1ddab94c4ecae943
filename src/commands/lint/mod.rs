//! `neonops lint`: the migration safety analysis, offline or with a database.

pub mod report;
mod trace;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::cli::{GlobalArgs, LintArgs, LintFormat};
use crate::exit::{Exit, usage};
use crate::lint::{self, Analysis, LintFile, Severity};
use crate::migrate::{MigrationFile, Problem, Table, files, run};
use crate::output::table;
use crate::settings::Settings;

use super::changed::{self, ChangedFile};

/// `lint --json` (documented in the README).
#[derive(Serialize)]
struct LintReport<'a> {
    ok: bool,
    online: bool,
    pg_version: u32,
    fail_on: Severity,
    summary: report::Summary,
    findings: &'a [lint::Finding],
    parse_errors: Vec<ParseErrorAt<'a>>,
    statements: &'a [lint::Analyzed],
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<&'a lint::trace::Trace>,
    /// Misnamed files, duplicates, and what the history says of the files.
    problems: &'a [Problem],
    /// `--changed-since`: the migration files the change touched.
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<&'a [ChangedFile]>,
}

#[derive(Serialize)]
struct ParseErrorAt<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

/// `lint --rules`: the rules, as a table or (`--json`) a list of
/// `{rule, what}`.
fn print_rules(printer: crate::output::Printer) {
    #[derive(Serialize)]
    struct RuleText {
        rule: &'static str,
        what: &'static str,
    }
    let rules: Vec<RuleText> = lint::Rule::ALL
        .iter()
        .map(|r| RuleText {
            rule: r.id(),
            what: r.what(),
        })
        .collect();
    printer.report(&rules, || {
        let mut t = table(&["rule", "what"]);
        for r in &rules {
            t.add_row(vec![r.rule, r.what]);
        }
        t.to_string()
    });
}

/// The files, as (name, SQL, no-transaction).
fn read_files(paths: &[PathBuf]) -> Result<Vec<Source>> {
    paths
        .iter()
        .map(|p| {
            let bytes =
                std::fs::read(p).map_err(|e| usage(format!("cannot read {}: {e}", p.display())))?;
            let sql = String::from_utf8(bytes).map_err(|e| {
                usage(format!(
                    "{} is not valid UTF-8 (byte {}): save it as UTF-8",
                    p.display(),
                    e.utf8_error().valid_up_to()
                ))
            })?;
            let nt = files::is_no_transaction(&sql);
            Ok((p.display().to_string(), sql, nt))
        })
        .collect()
}

pub async fn run(g: &GlobalArgs, args: LintArgs) -> Result<Exit> {
    if args.rules {
        let json = g.json || args.format == Some(LintFormat::Json);
        print_rules(crate::output::printer().with_json(json));
        return Ok(Exit::Success);
    }
    let started = Instant::now();
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let fail_on = args
        .fail_on
        .map(Severity::from)
        .unwrap_or_else(|| settings.lint_fail_on());
    let lint_settings = settings.lint();
    let explicit = !args.files.is_empty();
    let (loaded, mut problems, mut sources) = gather(&settings, &args)?;
    // A database when one is configured (and not --offline).
    let has_url = settings.database_url.is_some()
        || settings.direct_url.is_some()
        || !settings.pg_env.target_vars().is_empty();
    let online = !args.offline && has_url;
    let since = changed::since(&settings, &args.dir, args.changed_since.as_deref())?;
    let mut client = None;
    let mut pending = None;
    if online {
        let direct = super::migrate::direct_endpoint(&settings)?;
        let c = super::migrate::connect_direct(&settings, &direct).await?;
        if !explicit && !args.all {
            let (p, history) = pending_files(&c, &settings, &loaded).await?;
            problems.extend(history);
            pending = p;
        }
        client = Some(c);
    }
    let changed = since
        .as_ref()
        .map(|s| changed::files(s, &loaded, pending.as_ref()));
    keep_asked(&mut sources, since.as_ref(), pending.as_ref());
    let lint_files: Vec<LintFile> = sources
        .iter()
        .map(|(name, sql, nt)| LintFile {
            name: name.clone(),
            sql,
            no_transaction: *nt,
        })
        .collect();
    let (analysis, pg_version) = analyze(
        client.as_ref(),
        &lint_files,
        args.pg_version,
        &lint_settings,
    )
    .await?;
    let trace = if args.trace {
        Some(trace::run(&settings, &args, &lint_files, &analysis).await?)
    } else {
        None
    };
    let summary = report::summary(&analysis, started.elapsed());
    let failing = analysis.failing(fail_on).count();
    let disagreements = trace.as_ref().map_or(0, |t| t.disagreements());
    let format = args.format.unwrap_or(if g.json {
        LintFormat::Json
    } else if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        LintFormat::Github
    } else {
        LintFormat::Table
    });
    // --format json is --json for this command.
    let printer = crate::output::printer().with_json(format == LintFormat::Json);
    printer.report(
        &LintReport {
            ok: failing == 0
                && analysis.parse_errors.is_empty()
                && disagreements == 0
                && problems.is_empty(),
            online,
            pg_version,
            fail_on,
            summary: summary.clone(),
            findings: &analysis.findings,
            parse_errors: parse_errors(&analysis),
            statements: &analysis.statements_analyzed,
            trace: trace.as_ref(),
            problems: &problems,
            changed: changed.as_deref(),
        },
        || match format {
            LintFormat::Github => report::github_text(&analysis, &summary),
            _ => {
                let mut text = changed.as_deref().map_or(String::new(), changed::text);
                text.push_str(&report::table_text(&analysis, &summary));
                if let Some(t) = &trace {
                    text.push('\n');
                    text.push_str(&report::trace_table_text(t));
                }
                text
            }
        },
    );
    if !problems.is_empty() {
        return Err(crate::exit::problems(super::migrate::PROBLEMS, problems));
    }
    Ok(if !analysis.parse_errors.is_empty() {
        Exit::Usage
    } else if failing > 0 || disagreements > 0 {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// A file's name, SQL, and whether it runs outside a transaction.
type Source = (String, String, bool);

/// The files to lint: those named, else the directory's migrations (also
/// to tell which are pending). Misnamed files and duplicates are problems
/// (exit 2), listed with the history's; the files that could be read are
/// still analysed.
fn gather(
    settings: &Settings,
    args: &LintArgs,
) -> Result<(
    Vec<crate::migrate::MigrationFile>,
    Vec<Problem>,
    Vec<Source>,
)> {
    if !args.files.is_empty() {
        return Ok((Vec::new(), Vec::new(), read_files(&args.files)?));
    }
    let l = super::migrate::load(settings, &args.dir)?;
    let sources = l
        .files
        .iter()
        .map(|f| {
            (
                f.path.display().to_string(),
                f.sql.clone(),
                f.no_transaction,
            )
        })
        .collect();
    Ok((l.files, l.problems, sources))
}

/// With `--changed-since`, only what the change touched (applied or not);
/// else, once the history is read, only what is pending (applied
/// migrations are history).
fn keep_asked(
    sources: &mut Vec<Source>,
    since: Option<&crate::ci::changed::Since>,
    pending: Option<&std::collections::HashSet<String>>,
) {
    match (since, pending) {
        (Some(s), _) => sources.retain(|(name, ..)| {
            s.change_of(std::path::Path::new(name))
                .is_some_and(|c| c != crate::ci::changed::Change::Deleted)
        }),
        (None, Some(p)) => sources.retain(|(name, ..)| p.contains(name)),
        (None, None) => {}
    }
}

fn parse_errors(a: &lint::Analysis) -> Vec<ParseErrorAt<'_>> {
    a.parse_error_files
        .iter()
        .zip(&a.parse_errors)
        .map(|(f, e)| ParseErrorAt {
            file: f,
            line: e.line,
            column: e.column,
            message: &e.message,
        })
        .collect()
}

/// The files the database has not applied yet (None when the history is
/// damaged: which are pending is unknown, and every file is analysed), and
/// what the history says is wrong (divergent, missing, out of order).
async fn pending_files(
    c: &tokio_postgres::Client,
    settings: &Settings,
    loaded: &[MigrationFile],
) -> Result<(Option<HashSet<String>>, Vec<Problem>)> {
    let t = Table::new(&settings.config.migrations.table).map_err(usage)?;
    let plan = match run::plan(c, loaded, t).await {
        Ok(p) => p,
        Err(run::RunError::DamagedHistory(p)) => return Ok((None, p)),
        Err(e) => return Err(e.into()),
    };
    let pending: HashSet<String> = plan
        .planned
        .iter()
        .map(|&i| loaded[i].path.display().to_string())
        .collect();
    // The parser's findings are the analysis' own parse errors.
    let history = match plan.ended {
        run::Ended::Conflict { history, .. } => history,
        _ => Vec::new(),
    };
    Ok((Some(pending), history))
}

/// The analysis, with what the database knows when there is one (else for
/// `--pg-version`, by default the newest Neon runs), and the version used.
async fn analyze(
    client: Option<&tokio_postgres::Client>,
    lint_files: &[LintFile<'_>],
    pg_version: Option<u32>,
    lint_settings: &lint::Settings,
) -> Result<(Analysis, u32)> {
    Ok(match client {
        Some(c) => {
            let a = lint::analyze_with_database(c, lint_files, lint_settings)
                .await
                .context("reading table sizes and the server version")?;
            let v = a.pg_version;
            (a, v)
        }
        None => {
            let v = pg_version.unwrap_or(lint::context::NEWEST_NEON);
            let mut ctx = lint::Context::offline(v);
            (lint::analyze(lint_files, &mut ctx, lint_settings), v)
        }
    })
}
