//! `neonops migrate --rehearse`: the pending migrations run for real on a
//! short-lived Neon branch of the environment (a copy of its data, taken
//! now), which is deleted afterwards, whatever happens; each statement's
//! real duration, the locks it held and for how long, and the tables it
//! rewrote, next to what the static analysis said. The environment itself
//! is only read (its history, to know what is pending).

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use serde::Serialize;

use super::live::Live;
use super::{PROBLEMS, options};
use crate::ci::changed::Since;
use crate::cli::MigrateArgs;
use crate::commands::changed::InChange;
use crate::connect;
use crate::endpoint::{ConnectSpec, DatabaseUrl};
use crate::exit::{Exit, Failure, usage};
use crate::lint::Finding;
use crate::migrate::MigrationFile;
use crate::migrate::rehearse::{Rehearsal, Rehearsed, rehearse};
use crate::migrate::run::{self, Event, Mode, Running};
use crate::neon_api::{ApiError, Branch, NeonApi, NewBranch};
use crate::settings::Settings;

/// How long a rehearsal branch lives if neonops cannot delete it (killed
/// with SIGKILL, the machine lost): Neon deletes it then.
const BRANCH_LIFETIME: Duration = Duration::from_secs(3600);

/// How long the branch's creation may take.
const CREATE_WAIT: Duration = Duration::from_secs(300);

/// Where the rehearsal ran.
#[derive(Debug, Clone, Serialize)]
pub(super) struct BranchReport {
    pub id: String,
    pub name: String,
    pub parent_id: String,
    pub deleted: bool,
}

/// `migrate --rehearse --json` (documented in docs/migrations.md).
#[derive(Debug, Serialize)]
pub(super) struct RehearsalReport {
    pub ok: bool,
    pub project: String,
    pub branch: Option<BranchReport>,
    /// The pending migrations rehearsed, in order.
    pub migrations: Vec<String>,
    pub statements: Vec<Rehearsed>,
    /// What the static analysis said about them (on the branch).
    pub findings: Vec<Finding>,
    pub failed: Option<crate::migrate::rehearse::Stopped>,
    pub max_lock_ms: Option<u64>,
    pub longest_write_block: Option<LongestBlock>,
    pub elapsed_ms: u64,
    /// `--changed-since`: changed_since, changed and not_in_change.
    #[serde(flatten)]
    pub in_change: Option<InChange>,
}

#[derive(Debug, Serialize)]
pub(super) struct LongestBlock {
    pub version: i32,
    pub file: String,
    pub line: usize,
    pub relation: String,
    pub mode: crate::lint::LockMode,
    pub held_ms: u64,
}

/// A rehearsal stopped by a signal: the branch was deleted first.
#[derive(Debug, thiserror::Error)]
#[error(
    "interrupted by {0}: the rehearsal branch was deleted{1}; nothing was changed on the environment"
)]
pub struct Interrupted(&'static str, String);

/// A blocking API call off the runtime's thread.
async fn call<T: Send + 'static>(
    api: &Arc<NeonApi>,
    f: impl FnOnce(&NeonApi) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let api = Arc::clone(api);
    tokio::task::spawn_blocking(move || f(&api))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// The project and the branch to copy, and the environment's compute size: `[neon] project_id` and the
/// environment's `neon_branch` (id or name) where given, else those of the
/// endpoint in the direct URL.
async fn locate(api: &Arc<NeonApi>, settings: &Settings, url: &DatabaseUrl) -> Result<Located> {
    let host = url.hosts().into_iter().next().map(|h| h.name.clone());
    let endpoint_id = host
        .as_deref()
        .and_then(crate::endpoint::neon::parse_host)
        .map(|h| h.endpoint_id);
    let configured = settings.config.neon.project_id.clone();
    let (project, endpoint) = match (configured, &endpoint_id) {
        (Some(p), Some(ep)) => {
            let (p2, ep) = (p.clone(), ep.clone());
            let eps = call(api, move |a| a.endpoints(&p2)).await?;
            (p, eps.into_iter().find(|e| e.id == ep))
        }
        (Some(p), None) => (p, None),
        (None, Some(ep)) => {
            let ep = ep.clone();
            let (p, e) = call(api, move |a| a.locate_endpoint(&ep)).await?;
            (p, Some(e))
        }
        (None, None) => {
            return Err(usage(format!(
                "a rehearsal branches the environment's Neon project, and the direct URL's host ({}) is not a Neon endpoint: set [neon] project_id in neonops.toml, and the environment's neon_branch",
                host.unwrap_or_default()
            )));
        }
    };
    let p = project.clone();
    let branches = call(api, move |a| a.branches(&p)).await?;
    let wanted = settings
        .neon_branch
        .clone()
        .or(endpoint.as_ref().map(|e| e.branch_id.clone()));
    let Some(wanted) = wanted else {
        return Err(usage(format!(
            "which branch of project {project} is this environment? The direct URL's endpoint is not one of the project's: set neon_branch (its id or name) under the environment in neonops.toml"
        )));
    };
    match branches
        .into_iter()
        .find(|b| b.id == wanted || b.name == wanted)
    {
        Some(parent) => Ok(Located {
            project,
            parent,
            compute: endpoint
                .and_then(|e| Some((e.autoscaling_limit_min_cu?, e.autoscaling_limit_max_cu?))),
        }),
        None => Err(usage(format!(
            "project {project} has no branch {wanted:?} (the environment's neon_branch, or its endpoint's): check neon_branch in neonops.toml"
        ))),
    }
}

/// Where the rehearsal branches from.
struct Located {
    project: String,
    parent: Branch,
    /// The environment's endpoint's autoscaling limits, for the branch's.
    compute: Option<(f64, f64)>,
}

/// The branch, deleted when this goes (the backstop: each path deletes it
/// itself, to report that it did).
struct Guard {
    api: Arc<NeonApi>,
    project: String,
    branch: String,
    deleted: bool,
}

impl Guard {
    async fn delete(&mut self) -> Result<(), ApiError> {
        if self.deleted {
            return Ok(());
        }
        let (p, b) = (self.project.clone(), self.branch.clone());
        call(&self.api, move |a| a.delete_branch(&p, &b)).await?;
        self.deleted = true;
        Ok(())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.deleted {
            let _ = self.api.delete_branch(&self.project, &self.branch);
        }
    }
}

/// A UTC timestamp's digits: `20261202081500`.
fn stamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// What a rehearsal found, and where.
pub(super) struct Verdict {
    pub report: RehearsalReport,
    /// The statement that failed, or the lock over --max-lock.
    pub failure: Option<String>,
}

/// The pending migrations, read from the environment's history (its
/// session then goes: the stand-in copies a database nobody is connected to
/// faster, and nothing else is needed from it).
/// With `--changed-since`, what the change touched: an applied migration
/// it edited is a problem, as any the history finds.
async fn pending<'f>(
    client: tokio_postgres::Client,
    files: &'f [MigrationFile],
    opts: &run::Options,
    since: Option<&Since>,
) -> Result<(Vec<&'f MigrationFile>, Option<InChange>)> {
    let plan = run::plan(&client, files, opts.table.clone())
        .await
        .map_err(super::run_error)?;
    let mut problems = plan.problems();
    let in_change = crate::commands::changed::beside_plan(since, files, &plan, &mut problems);
    if !problems.is_empty() {
        return Err(crate::exit::problems(PROBLEMS, problems));
    }
    drop(client);
    crate::runtime::settle().await;
    Ok((plan.planned.iter().map(|&i| &files[i]).collect(), in_change))
}

/// Branches an earlier rehearsal left (killed with kill -9, so its guard
/// never ran): those past their expiry are deleted (Neon deletes them too,
/// in its own time); the others are named with how to delete them (one may
/// be another rehearsal's, running now).
async fn sweep_leftovers(settings: &Settings, api: &Arc<NeonApi>, project: &str, now: SystemTime) {
    let p = project.to_string();
    let Ok(branches) = call(api, move |a| a.branches(&p)).await else {
        return;
    };
    for b in branches
        .into_iter()
        .filter(|b| b.name.starts_with("neonops-rehearsal-"))
    {
        let expiry = b
            .expires_at
            .as_deref()
            .and_then(|e| humantime::parse_rfc3339_weak(e).ok());
        if expiry.is_some_and(|e| e <= now) {
            let (p, id) = (project.to_string(), b.id.clone());
            match call(api, move |a| a.delete_branch(&p, &id)).await {
                Ok(_) => settings.printer.note(format!(
                    "deleted {} ({}), left by an earlier rehearsal and past its expiry",
                    b.name, b.id
                )),
                Err(e) => settings.printer.note(format!(
                    "{} ({}) was left by an earlier rehearsal and is past its expiry, but could not be deleted ({e}): delete it in the Neon console or with `neon branches delete {}`",
                    b.name, b.id, b.id
                )),
            }
        } else {
            settings.printer.note(format!(
                "{} ({}) is left from an earlier rehearsal (killed before it could delete it?) or belongs to one running now; Neon deletes it at {}: if none runs, delete it now in the Neon console or with `neon branches delete {}`",
                b.name,
                b.id,
                b.expires_at.as_deref().unwrap_or("its expiry"),
                b.id
            ));
        }
    }
}

/// A branch of `parent` for the rehearsal of `pending`, named after the
/// last of them and the time, expiring in an hour.
async fn make_branch(
    settings: &Settings,
    api: &Arc<NeonApi>,
    at: &Located,
    pending: &[&MigrationFile],
    now: SystemTime,
) -> Result<crate::neon_api::Created> {
    let (project, parent) = (&at.project, &at.parent);
    let name = format!(
        "neonops-rehearsal-V{}-{}",
        pending.last().map_or(0, |f| f.version),
        stamp(now)
    );
    let expires = humantime::format_rfc3339_seconds(now + BRANCH_LIFETIME).to_string();
    settings.printer.note(format!(
        "rehearsing {} migration(s) on a new branch of {} ({project}), {name}{}",
        pending.len(),
        parent.name,
        match at.compute {
            Some((min, max)) if min == max => format!(", {min} CU as the environment's endpoint"),
            Some((min, max)) => format!(", {min}–{max} CU as the environment's endpoint"),
            None => String::new(),
        }
    ));
    let (p, parent_id, compute) = (project.to_string(), parent.id.clone(), at.compute);
    Ok(call(api, move |a| {
        a.create_branch(
            &p,
            &NewBranch {
                parent_id: &parent_id,
                name: &name,
                expires_at: &expires,
                compute,
            },
        )
    })
    .await?)
}

/// Rehearse the environment's pending migrations. `Ok` with the report
/// whether it passed or not (the caller says so, and applies on --apply);
/// `Err` when it could not be done (and nothing was left behind).
pub(super) async fn run(
    settings: &Settings,
    args: &MigrateArgs,
    client: tokio_postgres::Client,
    direct: &DatabaseUrl,
    files: &[MigrationFile],
    since: Option<&Since>,
) -> Result<Verdict> {
    let started = Instant::now();
    let opts = options(settings, args, Mode::Apply)?;
    let (pending, in_change) = pending(client, files, &opts, since).await?;
    let mut report = RehearsalReport {
        ok: true,
        project: String::new(),
        branch: None,
        migrations: pending.iter().map(|f| f.label()).collect(),
        statements: Vec::new(),
        findings: Vec::new(),
        failed: None,
        max_lock_ms: args.max_lock.map(|d| d.as_millis() as u64),
        longest_write_block: None,
        elapsed_ms: 0,
        in_change,
    };
    if pending.is_empty() {
        return Ok(Verdict {
            report,
            failure: None,
        });
    }
    let api = Arc::new(NeonApi::from_env(&|k| std::env::var(k).ok())?);
    let located = locate(&api, settings, direct).await?;
    let (project, parent) = (located.project.clone(), located.parent.clone());
    report.project = project.clone();

    // Signals are caught from before the branch exists, so that none
    // leaves it behind.
    use tokio::signal::unix::{SignalKind, signal};
    let mut sigint = signal(SignalKind::interrupt()).context("catching SIGINT")?;
    let mut sigterm = signal(SignalKind::terminate()).context("catching SIGTERM")?;
    let now = SystemTime::now();
    sweep_leftovers(settings, &api, &project, now).await;
    let created = make_branch(settings, &api, &located, &pending, now).await?;
    let mut guard = Guard {
        api: Arc::clone(&api),
        project: project.clone(),
        branch: created.branch.id.clone(),
        deleted: false,
    };
    let mut branch = BranchReport {
        id: created.branch.id.clone(),
        name: created.branch.name.clone(),
        parent_id: parent.id.clone(),
        deleted: false,
    };
    let work = on_branch(settings, &api, &project, &created, direct, &pending, &opts);
    let outcome = tokio::select! {
        r = work => Ok(r),
        _ = sigint.recv() => Err("SIGINT"),
        _ = sigterm.recv() => Err("SIGTERM"),
    };
    let deletion = guard.delete().await;
    branch.deleted = deletion.is_ok();
    let not_deleted = match &deletion {
        Ok(()) => String::new(),
        Err(e) => format!(
            " — NOT deleted ({e}): delete branch {} yourself; Neon deletes it at {} otherwise",
            branch.id,
            humantime::format_rfc3339_seconds(now + BRANCH_LIFETIME)
        ),
    };
    report.branch = Some(branch);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    let (rehearsal, findings) = match outcome {
        Err(signal) => return Err(Interrupted(signal, not_deleted).into()),
        Ok(Err(e)) => {
            return Err(match deletion {
                Ok(()) => e.context(format!(
                    "the rehearsal on branch {} (deleted)",
                    created.branch.id
                )),
                Err(_) => e.context(format!(
                    "the rehearsal on branch {}{not_deleted}",
                    created.branch.id
                )),
            });
        }
        Ok(Ok(r)) => r,
    };
    if let Err(e) = deletion {
        tracing::warn!("the rehearsal branch was not deleted: {e}");
        settings.printer.note(format!(
            "warning: branch {}{not_deleted}",
            created.branch.id
        ));
    }
    Ok(judge(report, rehearsal, findings, args.max_lock))
}

/// Fill the report in, and say whether it passed.
fn judge(
    mut report: RehearsalReport,
    rehearsal: Rehearsal,
    findings: Vec<Finding>,
    max_lock: Option<Duration>,
) -> Verdict {
    let longest = rehearsal.longest_write_block().map(|(s, l)| LongestBlock {
        version: s.version,
        file: s.file.clone(),
        line: s.line,
        relation: l.relation.clone(),
        mode: l.mode,
        held_ms: l.held.as_millis() as u64,
    });
    let failure = if let Some(f) = &rehearsal.failed {
        Some(format!(
            "the rehearsal failed at {}:{}:{}{}: {} (on the branch; nothing was changed on the environment)",
            f.file,
            f.line,
            f.column,
            crate::connect::sqlstate::suffix(f.sqlstate.as_deref()),
            f.message
        ))
    } else {
        match (&longest, max_lock) {
            (Some(l), Some(max)) if Duration::from_millis(l.held_ms) > max => Some(format!(
                "{}:{} held {} on {} for {} ms, over --max-lock {}: writes to it wait that long. Use the online way the analysis shows (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE, a new column and a backfill), or run it in a quiet hour with a larger --max-lock",
                l.file,
                l.line,
                l.mode.name(),
                l.relation,
                l.held_ms,
                humantime::format_duration(max)
            )),
            _ => None,
        }
    };
    report.ok = failure.is_none();
    report.statements = rehearsal.statements;
    report.failed = rehearsal.failed;
    report.findings = findings;
    report.longest_write_block = longest;
    Verdict { report, failure }
}

/// On the new branch: wait for it, connect (two sessions: the rehearsal
/// and its watcher), analyse, rehearse.
async fn on_branch(
    settings: &Settings,
    api: &Arc<NeonApi>,
    project: &str,
    created: &crate::neon_api::Created,
    env_url: &DatabaseUrl,
    pending: &[&MigrationFile],
    opts: &run::Options,
) -> Result<(Rehearsal, Vec<Finding>)> {
    let (p, ops) = (project.to_string(), created.operations.clone());
    call(api, move |a| a.wait(&p, &ops, CREATE_WAIT)).await?;
    let endpoint = created
        .endpoints
        .iter()
        .find(|e| e.kind == "read_write")
        .or(created.endpoints.first())
        .ok_or_else(|| Failure("the new branch came without an endpoint".into()))?
        .id
        .clone();
    let env_spec = ConnectSpec::resolve(env_url, &settings.pg_env)?;
    let (db, role) = (env_spec.dbname.clone(), env_spec.user.clone());
    let (p, b, ep, d, r) = (
        project.to_string(),
        created.branch.id.clone(),
        endpoint,
        db.clone(),
        role.clone(),
    );
    let uri = call(api, move |a| a.connection_uri(&p, &b, &ep, &d, &r)).await?;
    // The URI is the branch's connection string, password included: it is
    // only ever used to connect, and displays itself redacted.
    let url =
        DatabaseUrl::parse_secret(&uri).context("the branch's connection URI from the Neon API")?;
    let mut spec = ConnectSpec::resolve(&url, &crate::endpoint::spec::PgEnv::empty())?;
    if spec.password.is_none() {
        let (p, b, r) = (project.to_string(), created.branch.id.clone(), role.clone());
        spec.password = Some(call(api, move |a| a.reveal_password(&p, &b, &r)).await?);
    }
    let connect_opts = settings.connect_options(&url);
    let client = connect::proof::connect_proven(&spec, &connect_opts)
        .await
        .with_context(|| format!("connecting to the rehearsal branch ({})", url.redacted()))?
        .0
        .client;
    let mut quiet = connect_opts.clone();
    quiet.progress = connect::Progress::Silent;
    let monitor = connect::connect(&spec, &quiet)
        .await
        .context("connecting the rehearsal's lock watcher")?
        .client;
    let analysis = crate::migrate::review::analyze(&client, pending, &settings.lint())
        .await
        .context("the safety analysis on the branch")?;
    let live = Live::new(settings.printer);
    let rehearsal = rehearse(&client, &monitor, pending, opts, |f, k, n, head| {
        live.event(Event::Running(Running {
            version: f.version,
            name: &f.name,
            last: None,
            part: Some((k, n, head)),
        }))
    })
    .await?;
    live.finish();
    Ok((rehearsal, analysis.findings))
}

/// The lint rule the analysis gave a statement, if any.
fn lint_of<'a>(findings: &'a [Finding], s: &Rehearsed) -> Option<&'a Finding> {
    findings
        .iter()
        .find(|f| f.file == s.file && f.line == s.line)
}

/// `SHARE on big: 499 ms, writes wait`, a line a table, and what it rewrote.
fn locks_text(s: &Rehearsed) -> String {
    let mut lines: Vec<String> = s
        .locks
        .iter()
        .map(|l| {
            format!(
                "{} on {}: {} ms{}",
                l.mode.name(),
                l.relation,
                l.held.as_millis(),
                if l.blocks_reads {
                    ", reads and writes wait"
                } else if l.blocks_writes {
                    ", writes wait"
                } else {
                    ""
                }
            )
        })
        .collect();
    if !s.rewrote.is_empty() {
        lines.push(format!("rewrote {}", s.rewrote.join(", ")));
    }
    if lines.is_empty() {
        return "-".into();
    }
    lines.join("\n")
}

/// The report as a table and a summary.
pub(super) fn text(r: &RehearsalReport) -> String {
    let changed = r.in_change.as_ref().map_or(String::new(), InChange::text);
    if r.migrations.is_empty() {
        return format!("{changed}nothing to rehearse: no migration is pending");
    }
    let mut t = crate::output::table(&["at", "statement", "took", "locks held", "lint said"]);
    for s in &r.statements {
        let file = std::path::Path::new(&s.file)
            .file_name()
            .map_or(s.file.clone(), |n| n.to_string_lossy().into_owned());
        t.add_row(vec![
            format!("{file}:{}", s.line),
            s.statement.clone(),
            format!("{} ms", s.duration.as_millis()),
            locks_text(s),
            lint_of(&r.findings, s).map_or("-".into(), |f| f.rule.to_string()),
        ]);
    }
    let mut out = format!("{changed}{t}\n");
    if let Some(f) = &r.failed {
        out.push_str(&format!(
            "failed at {}:{}:{}: {}\n",
            f.file, f.line, f.column, f.message
        ));
    }
    match &r.longest_write_block {
        Some(l) => out.push_str(&format!(
            "longest lock that blocks writes: {} on {} for {} ms ({}:{})\n",
            l.mode.name(),
            l.relation,
            l.held_ms,
            l.file,
            l.line
        )),
        None => out.push_str("no statement held a lock that blocks writes\n"),
    }
    if let Some(b) = &r.branch {
        out.push_str(&format!(
            "branch {} ({}) {}; {} ms in all",
            b.name,
            b.id,
            if b.deleted { "deleted" } else { "NOT deleted" },
            r.elapsed_ms
        ));
    }
    out
}

/// Say what the rehearsal found (JSON or the table); exit 1 when it failed
/// or a lock was held over --max-lock.
pub(super) fn finish(settings: &Settings, v: Verdict) -> Result<Exit> {
    show(settings, &v);
    match v.failure {
        Some(m) => Err(Failure(m).into()),
        None => Ok(Exit::Success),
    }
}

/// The report, and a failure's annotation for GitHub Actions.
pub(super) fn show(settings: &Settings, v: &Verdict) {
    if let Some(m) = &v.failure {
        let (file, line) = match (&v.report.failed, &v.report.longest_write_block) {
            (Some(f), _) => (Some(f.file.as_str()), Some(f.line)),
            (None, Some(l)) => (Some(l.file.as_str()), Some(l.line)),
            _ => (None, None),
        };
        crate::output::annotate_at(file, line, None, m);
    }
    for s in &v.report.statements {
        for l in s.locks.iter().filter(|l| l.blocks_writes) {
            crate::output::annotation(
                crate::annotation::Level::Warning,
                Some(&s.file),
                Some(s.line),
                Some(s.column),
                &format!(
                    "in the rehearsal, {} held {} on {} for {} ms: {} wait that long",
                    s.statement,
                    l.mode.name(),
                    l.relation,
                    l.held.as_millis(),
                    if l.blocks_reads {
                        "reads and writes"
                    } else {
                        "writes"
                    }
                ),
            );
        }
    }
    settings.printer.report(&v.report, || text(&v.report));
}
