//! `neonops migrate`, `status`, `validate` and `new`: always on the direct
//! endpoint.

use std::io::IsTerminal;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

mod live;
mod new;
mod rehearse;
mod report;
mod status;
mod unlock;

pub use new::new;
pub use status::status;
pub use unlock::unlock;

use report::{Planned, annotate};

use super::changed::InChange;

use crate::cli::{GlobalArgs, MigrateArgs, MigrationsDir};
use crate::connect;
use crate::endpoint::{ConnectSpec, DatabaseUrl};
use crate::exit::{Exit, Failure, usage};
use crate::lint;
use crate::migrate::review::{self, Review};
use crate::migrate::run::{self, Event, MigrationFailure, Mode, Options, Outcome, Step};
use crate::migrate::{MigrationFile, Table, files, history};
use crate::settings::{Settings, Sourced};

/// Read the migrations directory; one that cannot be read is an error that
/// says where its path came from and what to do.
pub(crate) fn load(settings: &Settings, dir: &MigrationsDir) -> Result<files::Loaded> {
    let dir = settings.migrations_dir(dir);
    files::load(&dir.value).map_err(|e| {
        let fix = match dir.source.as_str() {
            "--dir" => "check the path given to --dir".to_string(),
            "the default" => "create it (`neonops new NAME` does, with the first migration), or point at yours with --dir or [migrations] dir in neonops.toml".to_string(),
            config => format!("fix {config}, or pass --dir"),
        };
        usage(format!(
            "cannot read the migrations directory {} ({}): {}. Fix: {fix}",
            e.dir.display(),
            dir.source,
            e.error
        ))
    })
}

/// The migrations, any problem with them a usage error listing each (for
/// the commands that read them without a report of their own: new, check).
pub(crate) fn load_or_refuse(
    settings: &Settings,
    dir: &MigrationsDir,
) -> Result<Vec<MigrationFile>> {
    let shown = settings.migrations_dir(dir).value;
    load(settings, dir)?.into_files().map_err(|p| {
        usage(format!(
            "the migrations in {}: {}",
            shown.display(),
            p.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })
}

/// What a report of input problems is about.
pub(crate) const PROBLEMS: &str = "the migrations and the history";

/// Every problem at once: the files' (names, duplicates, and then what the
/// parser finds in each), and the history's against the files that could be
/// read. Read only.
pub(crate) async fn every_problem(
    client: &tokio_postgres::Client,
    loaded: &files::Loaded,
    table: Table,
) -> Result<(Outcome, Vec<crate::migrate::Problem>)> {
    let mut problems = loaded.all_problems();
    let out = match run::plan(client, &loaded.files, table).await {
        Ok(out) => out,
        Err(run::RunError::DamagedHistory(p)) => Outcome {
            ended: run::Ended::Conflict {
                history: p,
                files: Vec::new(),
            },
            ..Outcome::default()
        },
        Err(e) => return Err(run_error(e)),
    };
    for p in out.problems() {
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    Ok((out, problems))
}

/// A run that stopped before applying: damaged history rows are input
/// problems (exit 2), as is a refusal; the rest failed (exit 1).
pub(crate) fn run_error(e: run::RunError) -> anyhow::Error {
    match e {
        run::RunError::DamagedHistory(p) => crate::exit::problems(PROBLEMS, p),
        // Typed to the top: its exit code, and its SQLSTATE and blocker in --json.
        e => e.into(),
    }
}

/// The direct endpoint, or a refusal that says which URL to give.
pub fn direct_endpoint(settings: &Settings) -> Result<Sourced<DatabaseUrl>> {
    let eps = settings.endpoints()?;
    match eps.direct {
        Some(d) => {
            let kind = d.value.kind(settings.poolers());
            if let Some(a) = kind.assumption() {
                // A guess from the URL alone: the session is measured
                // before any session work (connect::proof) and decides.
                tracing::warn!(
                    "the direct URL from {} is {a}; its session is proven before any change",
                    d.source
                );
                return Ok(d);
            }
            if kind.is_pooled() {
                return Err(usage(format!(
                    "the direct URL from {} points at a pooler ({}): migrations need a session on PostgreSQL itself; give the server's own URL with --direct-url",
                    d.source,
                    d.value.kind(settings.poolers()).label()
                )));
            }
            Ok(d)
        }
        None => Err(usage(format!(
            "migrations need the direct endpoint, and neonops cannot get around the pooler: {}. Give the direct URL with --direct-url or DATABASE_URL_DIRECT",
            eps.no_direct_reason
                .unwrap_or_else(|| "no direct URL".into())
        ))),
    }
}

pub(crate) async fn connect_direct(
    settings: &Settings,
    url: &Sourced<DatabaseUrl>,
) -> Result<tokio_postgres::Client> {
    Ok(connect_session(settings, url).await?.client)
}

/// The direct endpoint's connection, with what its startup said (the
/// cancel key's pid, for the proof that it is a session of its own).
pub(crate) async fn connect_session(
    settings: &Settings,
    url: &Sourced<DatabaseUrl>,
) -> Result<connect::Connected> {
    let spec = ConnectSpec::resolve(&url.value, &settings.pg_env)?;
    connect::connect(&spec, &settings.connect_options(&url.value))
        .await
        .with_context(|| format!("connecting to the direct endpoint ({})", url.source))
}

pub(crate) fn options(settings: &Settings, args: &MigrateArgs, mode: Mode) -> Result<Options> {
    let m = &settings.config.migrations;
    Ok(Options {
        table: Table::new(&m.table).map_err(usage)?,
        lock_timeout: args
            .lock_timeout
            .or(m.lock_timeout)
            .unwrap_or(history::DEFAULT_LOCK_TIMEOUT),
        statement_timeout: args
            .statement_timeout
            .or(m.statement_timeout)
            .unwrap_or(history::DEFAULT_STATEMENT_TIMEOUT),
        idle_in_transaction_timeout: history::IDLE_IN_TRANSACTION_TIMEOUT,
        lock_wait: args
            .lock_wait
            .or(m.lock_wait)
            .unwrap_or(history::DEFAULT_LOCK_WAIT),
        lock_retries: args
            .lock_retries
            .or(m.lock_retries)
            .unwrap_or(history::DEFAULT_LOCK_RETRIES),
        target: args.target,
        mode,
        resume_from: args.resume_from,
        review: Review {
            // --fake runs nothing: nothing to analyse.
            enabled: mode != Mode::Fake,
            settings: settings.lint(),
            refuse_at: (settings.protected && !args.allow_risky).then(|| settings.lint_fail_on()),
        },
    })
}

/// `migrate --json` (documented in the README).
#[derive(Serialize)]
struct MigrateReport<'a> {
    ok: bool,
    mode: Mode,
    database: String,
    target: Option<i32>,
    lock_waited_ms: u64,
    elapsed_ms: u64,
    planned: Vec<Planned<'a>>,
    applied: &'a [Step],
    failure: Option<&'a MigrationFailure>,
    /// Applying was refused: findings of the safety analysis on a
    /// protected environment.
    refused: bool,
    findings: &'a [lint::Finding],
    version: Option<i32>,
    /// `--changed-since`: changed_since, changed and not_in_change.
    #[serde(flatten)]
    in_change: Option<&'a InChange>,
}

pub async fn migrate(g: &GlobalArgs, args: MigrateArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let loaded = load(&settings, &args.dir)?;
    if let Some(t) = args.target {
        files::check_version(&loaded.files, t, "--target").map_err(usage)?;
    }
    let direct = direct_endpoint(&settings)?;
    let mode = mode_of(&args);
    if args.changed_since.is_some() && mode != Mode::Plan && !args.rehearse {
        return Err(usage(
            "--changed-since goes with --plan or --rehearse (a report of what a change would do); to apply, run migrate without it",
        ));
    }
    let since = super::changed::since(&settings, &args.dir, args.changed_since.as_deref())?;
    refuse_unrehearsed(&settings, &args, mode)?;

    let opts = options(&settings, &args, mode)?;
    let connected = connect_session(&settings, &direct).await?;
    let mut link = run::Link::of(&connected);
    let client = connected.client;
    if !loaded.problems.is_empty() {
        // Nothing is applied; the history is read to list every problem at once.
        let (_, problems) = every_problem(&client, &loaded, opts.table.clone()).await?;
        return Err(crate::exit::problems(PROBLEMS, problems.to_vec()));
    }
    let files = loaded.files;

    let mut rehearsal = None;
    let client = if args.rehearse {
        // The environment's session goes while the rehearsal runs (it was
        // only needed to read the history), and comes back to apply.
        let v = rehearse::run(
            &settings,
            &args,
            client,
            &direct.value,
            &files,
            since.as_ref(),
        )
        .await?;
        if !args.apply || v.failure.is_some() || v.report.migrations.is_empty() {
            return rehearse::finish(&settings, v);
        }
        if settings.printer.json() {
            rehearsal = Some(serde_json::to_value(&v.report)?);
        } else {
            rehearse::show(&settings, &v);
            settings
                .printer
                .note("the rehearsal passed: applying to the environment");
        }
        let c = connect_session(&settings, &direct).await?;
        link = run::Link::of(&c);
        c.client
    } else {
        client
    };

    let mut review_shown = false;
    if settings.protected && mode != Mode::Plan && !settings.yes {
        if !confirm_protected(&settings, &client, &files, &opts, &direct).await? {
            return Ok(Exit::Success);
        }
        review_shown = true;
    }

    let started = Instant::now();
    let settings_ref = &settings;
    let direct_ref = &direct;
    let monitor =
        move || -> futures_util::future::LocalBoxFuture<'static, Option<tokio_postgres::Client>> {
            let spec = ConnectSpec::resolve(&direct_ref.value, &settings_ref.pg_env).ok();
            let mut opts = settings_ref.connect_options(&direct_ref.value);
            opts.progress = connect::Progress::Silent;
            Box::pin(async move { connect::connect(&spec?, &opts).await.ok().map(|c| c.client) })
        };
    let live = live::Live::new(settings.printer);
    let mut events = |e: Event| {
        if !(review_shown && matches!(e, Event::Review(_))) {
            live.event(e);
        }
    };
    let stopped = || live.finish();
    let out = run_until_signal(
        &client,
        &monitor,
        &link,
        &files,
        &opts,
        &mut events,
        &stopped,
    )
    .await?;
    let mut problems = out.problems();
    let in_change = super::changed::beside_plan(since.as_ref(), &files, &out, &mut problems);
    if !problems.is_empty() {
        return Err(crate::exit::problems(PROBLEMS, problems));
    }
    show(
        &out,
        &files,
        &opts,
        Shown {
            printer: settings.printer,
            database: direct.value.redacted(),
            elapsed: started.elapsed(),
            rehearsal,
            in_change,
        },
    );
    match &out.ended {
        run::Ended::Refused(refusing) => {
            Err(refusal(&settings, &refusing.iter().collect::<Vec<_>>()))
        }
        run::Ended::Failed(f) => Err(failure_error(f, out.applied.len())),
        // Problems were returned above.
        run::Ended::Done | run::Ended::Conflict { .. } => Ok(Exit::Success),
    }
}

/// How a run is shown: JSON or lines, where, and how long it took.
struct Shown {
    printer: crate::output::Printer,
    database: String,
    elapsed: Duration,
    /// `--rehearse --apply --json`: the rehearsal's report, which the
    /// run's goes into (as `migrate`).
    rehearsal: Option<serde_json::Value>,
    /// `--changed-since`: what the change touched.
    in_change: Option<InChange>,
}

/// The run's report (a failure's annotation for GitHub Actions too).
fn show(out: &Outcome, files: &[MigrationFile], opts: &Options, how: Shown) {
    let version = out.version_after();
    let mut planned = report::planned(files, out, opts.mode == Mode::Plan);
    if let Some(c) = &how.in_change {
        for p in &mut planned {
            p.changed = c.change_of(&p.file);
        }
    }
    if let Some(f) = out.failure() {
        annotate(
            Some(&f.file),
            &format!(
                "V{}__{} failed: {}. {}",
                f.version, f.name, f.message, f.fix
            ),
        );
    }
    let findings = out.analysis.as_ref().map_or(&[][..], |a| &a.findings[..]);
    let text = || {
        let at = version.map_or("none".into(), |v| v.to_string());
        if opts.mode == Mode::Plan {
            let mut t = how.in_change.as_ref().map_or(String::new(), InChange::text);
            t.push_str(&report::plan_text(
                &planned,
                out.analysis.as_ref(),
                opts,
                version,
            ));
            Some(t)
        } else if out.failure().is_some() || out.refused().is_some() {
            // The error says it, at the top.
            None
        } else if out.applied.is_empty() {
            Some(format!("nothing to apply: the database is at version {at}"))
        } else {
            Some(format!(
                "{} migration(s) {} in {} ms; the database is at version {at}",
                out.applied.len(),
                if opts.mode == Mode::Fake {
                    "recorded (not run)"
                } else {
                    "applied"
                },
                how.elapsed.as_millis()
            ))
        }
    };
    if how.printer.json() {
        let report = MigrateReport {
            ok: matches!(out.ended, run::Ended::Done),
            mode: opts.mode,
            database: how.database,
            target: opts.target,
            lock_waited_ms: out.lock_waited.as_millis() as u64,
            elapsed_ms: how.elapsed.as_millis() as u64,
            planned,
            applied: &out.applied,
            failure: out.failure(),
            refused: out.refused().is_some(),
            findings,
            version,
            in_change: how.in_change.as_ref(),
        };
        match how.rehearsal {
            Some(mut r) => {
                r["migrate"] = serde_json::to_value(&report).unwrap_or_default();
                how.printer.json_only(&r);
            }
            None => how.printer.json_only(&report),
        }
    } else if let Some(t) = text() {
        how.printer.out(t);
    }
}

fn mode_of(args: &MigrateArgs) -> Mode {
    if args.plan {
        Mode::Plan
    } else if args.fake {
        Mode::Fake
    } else if args.grouped {
        Mode::Grouped
    } else {
        Mode::Apply
    }
}

/// A protected environment with a terminal: show what would be applied and
/// what the analysis finds, refuse what it refuses, and ask. `Ok(false)`:
/// nothing to apply.
async fn confirm_protected(
    settings: &Settings,
    client: &tokio_postgres::Client,
    files: &[MigrationFile],
    opts: &Options,
    direct: &Sourced<DatabaseUrl>,
) -> Result<bool> {
    let name = settings.env_name.clone().unwrap_or_default();
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !terminal {
        return Err(usage(format!(
            "environment \"{name}\" is protected: pass --yes to migrate it without a terminal (see the plan with --plan)"
        )));
    }
    let plan = run::plan(client, files, opts.table.clone()).await?;
    let problems = plan.problems();
    if !problems.is_empty() {
        return Err(crate::exit::problems(PROBLEMS, problems.to_vec()));
    }
    if plan.planned.is_empty() {
        settings.printer.out("nothing to apply");
        return Ok(false);
    }
    let mut list = format!(
        "environment \"{name}\" is protected; this would be applied to {}:",
        direct.value
    );
    for &i in &plan.planned {
        list.push_str(&format!("\n  {}", files[i].label()));
    }
    settings.printer.note(list);
    let pending: Vec<&MigrationFile> = plan.planned.iter().map(|&i| &files[i]).collect();
    if !pending.is_empty() {
        let analysis = review::analyze(client, &pending, &opts.review.settings)
            .await
            .context("the safety analysis of the migrations to apply")?;
        if !analysis.findings.is_empty() {
            settings
                .printer
                .note(report::review_text(&analysis).trim_end());
        }
        let refusing = review::refusing(&opts.review, &analysis);
        if !refusing.is_empty() {
            return Err(refusal(settings, &refusing));
        }
    }
    let go = tokio::task::spawn_blocking(|| {
        dialoguer::Confirm::new()
            .with_prompt("Apply?")
            .default(false)
            .interact()
    })
    .await??;
    if !go {
        return Err(usage("not confirmed: nothing was changed"));
    }
    Ok(true)
}

/// Why a protected environment's migrate applied nothing (exit 1).
fn refusal(settings: &Settings, refusing: &[&lint::Finding]) -> anyhow::Error {
    for f in refusing {
        report::annotate_at(Some(&f.file), Some(f.line), Some(f.column), &f.message);
    }
    let msg = format!(
        "environment \"{}\" is protected and the safety analysis found {} statement(s) at {} or above ({}): nothing was applied. Use the safe alternative shown, or, where the risk is known and accepted, add `-- neonops:allow <rule>: <why>` above the statement, or pass --allow-risky",
        settings.env_name.clone().unwrap_or_default(),
        refusing.len(),
        settings.lint_fail_on().as_str(),
        refusing
            .iter()
            .map(|f| format!("{}:{}:{} {}", f.file, f.line, f.column, f.rule))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Failure(msg).into()
}

/// An environment that requires a rehearsal is not changed without one.
fn refuse_unrehearsed(settings: &Settings, args: &MigrateArgs, mode: Mode) -> Result<()> {
    if settings.require_rehearsal && !args.rehearse && mode != Mode::Plan {
        let name = settings.env_name.clone().unwrap_or_default();
        return Err(usage(format!(
            "environment \"{name}\" requires a rehearsal before migrations are applied (require_rehearsal in neonops.toml): run `neonops migrate --env {name} --rehearse --apply`, which applies only if the rehearsal on a branch passed"
        )));
    }
    Ok(())
}

/// The run; a signal cancels it, rolls back and releases the lock before
/// neonops goes. Its errors annotated (but a damaged history, which its
/// problems annotate).
async fn run_until_signal(
    client: &tokio_postgres::Client,
    monitor: &dyn Fn() -> futures_util::future::LocalBoxFuture<
        'static,
        Option<tokio_postgres::Client>,
    >,
    link: &run::Link,
    files: &[MigrationFile],
    opts: &Options,
    events: &mut dyn FnMut(Event),
    stopped: &dyn Fn(),
) -> Result<Outcome> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut sigint = signal(SignalKind::interrupt()).context("catching SIGINT")?;
    let mut sigterm = signal(SignalKind::terminate()).context("catching SIGTERM")?;
    let stopped_by = tokio::select! {
        o = run::run(client, monitor, link, files, opts, events) => Ok(o),
        _ = sigint.recv() => Err("SIGINT"),
        _ = sigterm.recv() => Err("SIGTERM"),
    };
    // The live lines end before anything else is said.
    stopped();
    match stopped_by {
        Ok(Ok(o)) => Ok(o),
        Ok(Err(e)) => {
            if !matches!(e, run::RunError::DamagedHistory(_)) {
                annotate(None, &e.to_string());
            }
            Err(run_error(e))
        }
        Err(sig) => {
            let limit = Duration::from_secs(10);
            let i = run::interrupt(client, monitor, &opts.table, link, sig, limit).await;
            annotate(None, &i.to_string());
            Err(i.into())
        }
    }
}

fn failure_error(f: &MigrationFailure, applied_before: usize) -> anyhow::Error {
    let mut msg = format!(
        "V{}__{} failed{}{}: {}",
        f.version,
        f.name,
        crate::connect::sqlstate::suffix(f.sqlstate.as_deref()),
        if f.attempts > 1 {
            format!(" after {} attempts", f.attempts)
        } else {
            String::new()
        },
        f.message
    );
    for b in &f.blockers {
        msg.push_str(&format!("; blocked by {b}"));
    }
    msg = crate::exit::with_fix(&msg, &f.fix);
    if applied_before > 0 {
        msg.push_str(&format!(
            " ({applied_before} migration(s) before it were applied and committed)"
        ));
    }
    // A lost connection exits 3, as one that could not be made.
    if f.connection_lost {
        crate::exit::ConnectionLost(msg).into()
    } else {
        Failure(msg).into()
    }
}
