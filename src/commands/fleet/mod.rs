//! `neonops fleet migrate | status | check`: the same work on many tenant
//! databases, within each server's connection budget.

mod report;

use std::time::Instant;

use anyhow::{Context, Result};

use crate::cli::{FleetCommand, FleetTargets, GlobalArgs, MigrateArgs, MigrationsDir};
use crate::commands::migrate::{direct_endpoint, load, options};
use crate::connect::{self, Progress};
use crate::endpoint::ConnectSpec;
use crate::exit::{Exit, Failure, usage};
use crate::fleet::{self, Outcome, Plan, Target, Work, targets};
use crate::migrate::Table;
use crate::migrate::run::{Mode, Options};
use crate::settings::Settings;

/// Databases worked on at once when neither the flag nor the file says.
const DEFAULT_CONCURRENCY: usize = 32;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Migrate,
    Status,
    Check,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Migrate => "migrate",
            Kind::Status => "status",
            Kind::Check => "check",
        }
    }
}

pub async fn run(g: &GlobalArgs, cmd: FleetCommand) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let (kind, fleet, dir) = match &cmd {
        FleetCommand::Migrate(a) => (Kind::Migrate, &a.fleet, &a.dir),
        FleetCommand::Status(a) => (Kind::Status, &a.fleet, &a.dir),
        FleetCommand::Check(a) => (Kind::Check, &a.fleet, &a.dir),
    };
    let shown = settings.migrations_dir(dir).value;
    let files = load(&settings, dir)?
        .into_files()
        .map_err(|p| crate::exit::problems(format!("the migrations in {}", shown.display()), p))?;
    if let FleetCommand::Migrate(a) = &cmd
        && let Some(t) = a.target
    {
        crate::migrate::files::check_version(&files, t, "--target").map_err(usage)?;
    }
    let (all, controls) = load_targets(&settings, fleet).await?;
    let total = all.len();
    let chosen = shard(all, fleet.shard);
    let (work, plan) = match &cmd {
        FleetCommand::Migrate(a) => {
            let args = MigrateArgs {
                dir: MigrationsDir::default(),
                target: a.target,
                plan: a.plan,
                lock_timeout: a.lock_timeout,
                lock_wait: a.lock_wait,
                allow_risky: a.allow_risky,
                ..MigrateArgs::default()
            };
            let mode = if a.plan { Mode::Plan } else { Mode::Apply };
            if settings.protected && mode != Mode::Plan && !settings.yes {
                return Err(usage(format!(
                    "environment \"{}\" is protected: a fleet never asks, so pass --yes to migrate it (see what would be applied with --plan)",
                    settings.env_name.clone().unwrap_or_default()
                )));
            }
            let mut opts = options(&settings, &args, mode)?;
            // Plans of a thousand databases show versions, not statements.
            opts.review.enabled = mode != Mode::Plan;
            (
                Work::Migrate {
                    files: &files,
                    opts,
                },
                plan(&settings, fleet, a.canary.unwrap_or(0), a.keep_going),
            )
        }
        _ => (
            Work::Inspect {
                files: &files,
                opts: inspect_options(&settings)?,
            },
            plan(&settings, fleet, 0, true),
        ),
    };
    let mut connect_opts = settings.connect.clone();
    connect_opts.progress = Progress::Silent;
    connect_opts.pooled = false;
    let started = Instant::now();
    let progress = report::Shown::new(chosen.len(), settings.printer);
    let (results, servers) = fleet::run(
        &chosen,
        &work,
        &plan,
        controls,
        &settings.pg_env,
        &connect_opts,
        &|e| progress.event(e),
    )
    .await;
    progress.finish();
    let elapsed = started.elapsed();
    let summary = report::summary(&results, &servers, elapsed);
    let shard_info = fleet.shard.map(|(i, n)| report::Shard {
        index: i,
        of: n,
        targets: total,
    });
    let verdict = verdict(kind, &cmd, &results, &servers);
    let text = report::text(
        kind,
        &results,
        &servers,
        &summary,
        shard_info.as_ref(),
        progress.lines(),
    );
    settings.printer.report(
        &report::FleetReport {
            ok: verdict.is_none(),
            command: kind.name(),
            shard: shard_info,
            summary: summary.clone(),
            servers: &servers,
            targets: &results,
        },
        || text.trim_end().to_string(),
    );
    match verdict {
        None => Ok(Exit::Success),
        Some((Exit::Connect, msg)) => Err(crate::exit::ConnectionLost(msg).into()),
        Some((_, msg)) => Err(Failure(msg).into()),
    }
}

/// What the exit code says: a server not reached at all (3), a target
/// that failed or a gate that did not pass (1).
fn verdict(
    kind: Kind,
    cmd: &FleetCommand,
    results: &[fleet::TargetResult],
    servers: &[fleet::ServerReport],
) -> Option<(Exit, String)> {
    let unreachable: Vec<String> = servers
        .iter()
        .filter_map(|s| Some(format!("{} ({})", s.server, s.error.as_ref()?.message)))
        .collect();
    if !unreachable.is_empty() {
        return Some((
            Exit::Connect,
            format!(
                "could not reach {} server(s) at all: {} (their databases were not touched)",
                unreachable.len(),
                unreachable.join("; ")
            ),
        ));
    }
    let failed = results
        .iter()
        .filter(|r| r.outcome == Outcome::Failed)
        .count();
    let skipped = results
        .iter()
        .filter(|r| r.outcome == Outcome::Skipped)
        .count();
    if failed > 0 {
        let hint = if skipped > 0 {
            format!(
                "; {skipped} not started (fix the failure and run again: each database keeps its history, so only what is left runs{})",
                if kind == Kind::Migrate {
                    ", or pass --keep-going"
                } else {
                    ""
                }
            )
        } else {
            String::new()
        };
        return Some((
            Exit::Failure,
            format!("{failed} of {} database(s) failed{hint}", results.len()),
        ));
    }
    let gate = match cmd {
        FleetCommand::Status(a) => a.exit_code,
        FleetCommand::Check(a) => a.require_no_pending,
        FleetCommand::Migrate(_) => false,
    };
    let behind = results
        .iter()
        .filter(|r| r.behind() || !r.problems.is_empty())
        .count();
    if gate && behind > 0 {
        return Some((
            Exit::Failure,
            format!(
                "{behind} of {} database(s) are not up to date (pending, divergent or missing migrations): run `neonops fleet migrate`",
                results.len()
            ),
        ));
    }
    None
}

fn plan(settings: &Settings, f: &FleetTargets, canary: usize, keep_going: bool) -> Plan {
    let c = &settings.config.fleet;
    Plan {
        concurrency: f
            .concurrency
            .map(|n| n as usize)
            .or(c.concurrency)
            .unwrap_or(DEFAULT_CONCURRENCY)
            .max(1),
        headroom: f.headroom.or(c.headroom),
        canary,
        keep_going,
    }
}

fn inspect_options(settings: &Settings) -> Result<Options> {
    let mut o = Options::read_only(Table::new(&settings.config.migrations.table).map_err(usage)?);
    o.review.enabled = false;
    Ok(o)
}

fn shard(all: Vec<Target>, shard: Option<(u32, u32)>) -> Vec<Target> {
    match shard {
        None => all,
        Some((i, n)) => all
            .into_iter()
            .filter(|t| targets::shard_of(&t.label, n) == i)
            .collect(),
    }
}

/// The targets of the file and of the pattern (flags, else `[fleet]`).
/// A server's control session opened while loading the targets.
type Control = (String, tokio_postgres::Client);

async fn load_targets(
    settings: &Settings,
    f: &FleetTargets,
) -> Result<(Vec<Target>, Vec<Control>)> {
    let c = &settings.config.fleet;
    let file = f.targets.clone().or_else(|| c.targets.clone());
    let pattern = f.pattern.clone().or_else(|| c.pattern.clone());
    if file.is_none() && pattern.is_none() {
        return Err(usage(
            "no targets: give --targets FILE (one URL per line) and/or --match PATTERN (databases on the environment's server), or set targets / match under [fleet] in neonops.toml",
        ));
    }
    let mut out: Vec<Target> = Vec::new();
    if let Some(path) = file {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            usage(format!(
                "cannot read the targets file {}: {e}",
                path.display()
            ))
        })?;
        let env = |k: &str| std::env::var(k).ok();
        match targets::from_file(&path, &text, &env, &settings.pg_env, settings.poolers()) {
            Ok(t) => out = t,
            Err(p) => {
                return Err(crate::exit::problems(
                    format!("the targets in {}", path.display()),
                    p,
                ));
            }
        }
    }
    let mut controls = Vec::new();
    if let Some(p) = pattern {
        let (matched, control) = matching(settings, &p).await?;
        for t in matched {
            if !out.iter().any(|o| o.label == t.label) {
                out.push(t);
            }
        }
        controls.push(control);
    }
    Ok((out, controls))
}

/// Every connectable database on the environment's server whose name matches.
/// The session that listed them stays open: it is the server's control
/// session for the run.
async fn matching(settings: &Settings, pattern: &str) -> Result<(Vec<Target>, Control)> {
    let server = direct_endpoint(settings)
        .context("--match lists the databases of the environment's server")?;
    let spec = ConnectSpec::resolve(&server.value, &settings.pg_env)?;
    let c = connect::connect(&spec, &settings.connect_options(&server.value))
        .await
        .with_context(|| {
            format!(
                "listing the databases on the direct endpoint's server ({})",
                server.source
            )
        })?;
    let rows = c
        .client
        .query(targets::MATCH_SQL, &[&targets::glob_to_like(pattern)])
        .await
        .with_context(|| format!("listing the databases that match {pattern:?}"))?;
    let mut out = Vec::new();
    for r in rows {
        let name: String = r.get(0);
        let url = server.value.with_database(&name);
        out.push(Target::new(url, &settings.pg_env, format!("match {pattern}")).map_err(usage)?);
    }
    if out.is_empty() {
        return Err(usage(format!(
            "no database on {} matches {pattern:?} (* matches any characters, ? one; templates and databases that refuse connections are left out)",
            server.value
        )));
    }
    let label = out[0].server.clone();
    Ok((out, (label, c.client)))
}
