//! Fleets of tenant databases: the same migrations and the same health
//! gate on each, within every server's connection budget, canary first,
//! shardable across CI jobs. Each database keeps its own history and
//! migration lock, so a re-run does only what is left.

pub mod budget;
pub mod targets;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde::Serialize;
use tokio_postgres::Client;
use tracing::debug;

pub use budget::{Budget, Limits};
pub use targets::Target;

use crate::connect::error::Cause;
use crate::connect::{self, ConnectError, ConnectOptions, SqlState, Stage};
use crate::doctor::diagnose::diagnose;
use crate::endpoint::{ConnectSpec, PgEnv};
use crate::migrate::MigrationFile;
use crate::migrate::run::{self, Options};

/// What is done on each database.
pub enum Work<'a> {
    Migrate {
        files: &'a [MigrationFile],
        opts: Options,
    },
    /// Read the history (status, and check's gate).
    Inspect {
        files: &'a [MigrationFile],
        opts: Options,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The work was done (for status: the history was read).
    Ok,
    Failed,
    /// Not started: the canary or an earlier target failed.
    Skipped,
}

/// What kind of failure a target met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    Connect,
    TooManyClients,
    Migration,
    History,
    Refused,
    Query,
}

/// Why a target failed, diagnosed.
#[derive(Debug, Clone, Serialize)]
pub struct TargetError {
    pub kind: FailureKind,
    pub message: String,
    /// The diagnosis of a connection failure (as `doctor` names it).
    pub cause: Option<Cause>,
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    pub target: String,
    pub origin: String,
    pub server: String,
    pub canary: bool,
    pub outcome: Outcome,
    /// The highest applied version before and after (None: none applied).
    pub before: Option<i32>,
    pub after: Option<i32>,
    pub applied: usize,
    /// Still to apply (after the work); None when the history was not read
    /// (the database was not reached, or not started).
    pub pending: Option<usize>,
    /// Divergent, missing or unreadable history, as `status` reports it.
    pub problems: Vec<String>,
    pub duration_ms: u64,
    pub error: Option<TargetError>,
}

impl TargetResult {
    /// Migrations still to apply here, when the history was read.
    pub fn behind(&self) -> bool {
        self.pending.is_some_and(|p| p > 0)
    }

    /// The history was read (the versions and pending count are known).
    pub fn known(&self) -> bool {
        self.pending.is_some()
    }
}

/// One server's budget as the fleet used it.
#[derive(Debug, Clone, Serialize)]
pub struct ServerReport {
    pub server: String,
    pub targets: usize,
    /// None when the server could not be reached at all.
    pub limits: Option<Limits>,
    /// Connections the fleet allowed itself at once (at the end of the run).
    pub budget: usize,
    pub peak: usize,
    /// Times the server said "too many clients" and the budget was read again.
    pub rereads: usize,
    pub error: Option<TargetError>,
}

pub struct Plan {
    pub concurrency: usize,
    pub headroom: Option<u32>,
    pub canary: usize,
    pub keep_going: bool,
}

pub enum Event<'a> {
    Started(&'a Target),
    Finished(&'a TargetResult),
}

fn connect_error(e: &ConnectError) -> TargetError {
    let d = diagnose(e);
    TargetError {
        kind: if e.state() == Some(SqlState::TooManyConnections) {
            FailureKind::TooManyClients
        } else {
            FailureKind::Connect
        },
        message: e.to_string(),
        cause: Some(d.cause),
        fix: Some(d.fix),
    }
}

fn error(kind: FailureKind, message: String) -> TargetError {
    TargetError {
        kind,
        message,
        cause: None,
        fix: None,
    }
}

/// A server the fleet reached: its budget, and the control session that
/// reads it again.
struct Server {
    budget: Budget,
    control: Client,
    headroom: Option<u32>,
}

/// Every server of the targets: how many targets it has, and whether it
/// was reached (when not, each target its control session tried, with its
/// own error).
struct Entry {
    count: usize,
    reach: Result<Server, (TargetError, BTreeMap<String, TargetError>)>,
}

async fn read_limits(c: &Client, headroom: Option<u32>) -> Result<Limits, tokio_postgres::Error> {
    let row = c.query_one(budget::LIMITS_SQL, &[]).await?;
    let max: i32 = row.get(0);
    let reserved: i32 = row.get(1);
    let in_use: i32 = row.get(2);
    let max = max as u32;
    Ok(Limits {
        max_connections: max,
        reserved: reserved as u32,
        in_use: in_use as u32,
        headroom: headroom.unwrap_or_else(|| budget::default_headroom(max)),
    })
}

/// How many of a server's targets its control session tries, when the
/// server answers but refuses a database (missing, not allowed).
const CONTROL_TRIES: usize = 5;

/// Each server's control session (one already open, else on the first of
/// its targets it can open) and its budget.
async fn servers(
    targets: &[Target],
    plan: &Plan,
    controls: Vec<(String, Client)>,
    env: &PgEnv,
    opts: &ConnectOptions,
) -> BTreeMap<String, Entry> {
    let mut by: BTreeMap<&str, (Vec<&Target>, usize)> = BTreeMap::new();
    for t in targets {
        let (candidates, count) = by.entry(&t.server).or_default();
        if candidates.len() < CONTROL_TRIES {
            candidates.push(t);
        }
        *count += 1;
    }
    let mut controls: BTreeMap<String, Client> = controls.into_iter().collect();
    let reads = by.iter().map(|(&name, (candidates, _))| {
        let open = controls.remove(name);
        async move {
            let client = match open {
                Some(c) => c,
                None => control_session(candidates, env, opts).await?,
            };
            control(client, plan)
                .await
                .map_err(|e| (e, BTreeMap::new()))
        }
    });
    let read = futures_util::future::join_all(reads).await;
    by.into_iter()
        .zip(read)
        .map(|((name, (_, count)), reach)| (name.to_string(), Entry { count, reach }))
        .collect()
}

/// A session on the first of these targets (of one server) that accepts
/// one. The next is tried only when the server answered and refused that
/// database or role; a server that cannot be reached, or is full, is not
/// asked again. Else the server's error and each tried target's own.
async fn control_session(
    candidates: &[&Target],
    env: &PgEnv,
    opts: &ConnectOptions,
) -> Result<Client, (TargetError, BTreeMap<String, TargetError>)> {
    let mut tried = BTreeMap::new();
    for t in candidates {
        let spec = ConnectSpec::resolve(&t.url, env)
            .map_err(|e| (error(FailureKind::Connect, e.to_string()), BTreeMap::new()))?;
        match connect::connect(&spec, opts).await {
            Ok(c) => return Ok(c.client),
            Err(e) => {
                let answered = matches!(e.stage, Stage::Auth | Stage::Server);
                if !answered || e.state() == Some(SqlState::TooManyConnections) {
                    return Err((connect_error(&e), BTreeMap::new()));
                }
                debug!(
                    "control session: {} refused ({e}); trying the next target",
                    t.label
                );
                tried.insert(t.label.clone(), connect_error(&e));
            }
        }
    }
    let first = &candidates[0].label;
    let mut e = tried
        .get(first)
        .cloned()
        .unwrap_or_else(|| error(FailureKind::Connect, "no target".into()));
    e.message = format!(
        "no session could be opened to read its connection budget: {} database(s) tried, each refused (first, {first}: {})",
        tried.len(),
        e.message
    );
    Err((e, tried))
}

/// The budget of the server of a control session.
async fn control(client: Client, plan: &Plan) -> Result<Server, TargetError> {
    let limits = read_limits(&client, plan.headroom).await.map_err(|e| {
        error(
            FailureKind::Query,
            format!("reading max_connections and the sessions in use: {e}"),
        )
    })?;
    // With no slot free beyond the headroom, one at a time if the server
    // has any slot at all.
    let open = (limits.max_connections - limits.reserved).saturating_sub(limits.in_use);
    let cap = (limits.free() as usize)
        .min(plan.concurrency)
        .max(usize::from(open > 0));
    Ok(Server {
        budget: Budget::new(limits, cap),
        control: client,
        headroom: plan.headroom,
    })
}

/// Run the work on every target; results in target order. `controls`:
/// sessions already open on some servers (`host:port`), kept as their
/// control sessions.
pub async fn run(
    targets: &[Target],
    work: &Work<'_>,
    plan: &Plan,
    controls: Vec<(String, Client)>,
    env: &PgEnv,
    opts: &ConnectOptions,
    events: &dyn Fn(Event),
) -> (Vec<TargetResult>, Vec<ServerReport>) {
    let servers = servers(targets, plan, controls, env, opts).await;
    let mut results: Vec<Option<TargetResult>> = vec![None; targets.len()];
    let stop = Cell::new(false);
    let canary = plan.canary.min(targets.len());
    let phases = [(0..canary, true), (canary..targets.len(), false)];
    for (range, is_canary) in phases {
        let keep_going = plan.keep_going && !is_canary;
        let jobs = range.map(|i| {
            let t = &targets[i];
            let s = &servers[&t.server];
            let stop = &stop;
            async move {
                let r = match &s.reach {
                    _ if stop.get() => skipped(t, is_canary),
                    Err((e, tried)) => {
                        let mut r = skipped(t, is_canary);
                        r.outcome = Outcome::Failed;
                        r.error = Some(tried.get(&t.label).unwrap_or(e).clone());
                        r
                    }
                    Ok(server) => {
                        events(Event::Started(t));
                        one(t, server, work, env, opts, is_canary).await
                    }
                };
                if r.outcome == Outcome::Failed && !keep_going {
                    stop.set(true);
                }
                events(Event::Finished(&r));
                (i, r)
            }
        });
        let mut stream = futures_util::stream::iter(jobs).buffer_unordered(plan.concurrency.max(1));
        while let Some((i, r)) = stream.next().await {
            results[i] = Some(r);
        }
        drop(stream);
        if is_canary && stop.get() {
            // The canary failed: the rest is not started.
            for (i, t) in targets.iter().enumerate().skip(canary) {
                let r = skipped(t, false);
                events(Event::Finished(&r));
                results[i] = Some(r);
            }
            break;
        }
    }
    let reports = servers
        .iter()
        .map(|(name, e)| {
            let b = e.reach.as_ref().ok().map(|s| &s.budget);
            ServerReport {
                server: name.clone(),
                targets: e.count,
                limits: b.map(|b| b.limits.lock().expect("not poisoned").clone()),
                budget: b.map_or(0, Budget::cap),
                peak: b.map_or(0, Budget::peak),
                rereads: b.map_or(0, |b| b.rereads.load(std::sync::atomic::Ordering::SeqCst)),
                error: e.reach.as_ref().err().map(|(e, _)| e.clone()),
            }
        })
        .collect();
    (
        results
            .into_iter()
            .map(|r| r.expect("every target has a result"))
            .collect(),
        reports,
    )
}

fn skipped(t: &Target, canary: bool) -> TargetResult {
    TargetResult {
        target: t.label.clone(),
        origin: t.origin.clone(),
        server: t.server.clone(),
        canary,
        outcome: Outcome::Skipped,
        before: None,
        after: None,
        applied: 0,
        pending: None,
        problems: Vec::new(),
        duration_ms: 0,
        error: None,
    }
}

/// Attempts of a target the server refused for want of slots.
const FULL_ATTEMPTS: u32 = 6;

/// A session on a target within its server's budget: a slot first, then
/// the connection; on "too many clients" the budget is read again (and
/// cut) and the target tried again after a pause.
async fn within_budget<'s>(
    s: &'s Server,
    spec: &ConnectSpec,
    opts: &ConnectOptions,
) -> Result<(connect::Connected, budget::Slot<'s>), TargetError> {
    let mut attempt = 0;
    let mut backoff =
        crate::backoff::Backoff::new(Duration::from_millis(200), Duration::from_millis(3_200));
    loop {
        attempt += 1;
        let slot = s.budget.slot().await;
        match connect::connect(spec, opts).await {
            Ok(c) => return Ok((c, slot)),
            Err(e)
                if e.state() == Some(SqlState::TooManyConnections) && attempt < FULL_ATTEMPTS =>
            {
                drop(slot);
                // Someone else took slots: read the budget again and wait.
                match read_limits(&s.control, s.headroom).await {
                    Ok(l) => s.budget.reread(l),
                    Err(_) => s.budget.shrink(),
                }
                tokio::time::sleep(backoff.pause()).await;
            }
            Err(e) => return Err(connect_error(&e)),
        }
    }
}

async fn one(
    t: &Target,
    s: &Server,
    work: &Work<'_>,
    env: &PgEnv,
    opts: &ConnectOptions,
    canary: bool,
) -> TargetResult {
    let started = Instant::now();
    let mut r = skipped(t, canary);
    r.outcome = Outcome::Failed;
    let spec = match ConnectSpec::resolve(&t.url, env) {
        Ok(s) => s,
        Err(e) => {
            r.error = Some(error(FailureKind::Connect, e.to_string()));
            return r;
        }
    };
    let (connected, _slot) = match within_budget(s, &spec, opts).await {
        Ok(c) => c,
        Err(e) => {
            r.error = Some(e);
            r.duration_ms = started.elapsed().as_millis() as u64;
            return r;
        }
    };
    let (spec2, connect2) = (spec.clone(), opts.clone());
    let (files, opts) = match work {
        Work::Migrate { files, opts } | Work::Inspect { files, opts } => (*files, opts),
    };
    let link = run::Link::of(&connected);
    let client = connected.client;
    // A second client for the session's proof, when the key does not
    // name the backend (a pooler or proxy in between).
    let second = move || -> futures_util::future::LocalBoxFuture<'static, Option<Client>> {
        let (spec, opts) = (spec2.clone(), connect2.clone());
        Box::pin(async move { connect::connect(&spec, &opts).await.ok().map(|c| c.client) })
    };
    let out = run::run(&client, &second, &link, files, opts, &mut |_| {}).await;
    r.duration_ms = started.elapsed().as_millis() as u64;
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            r.error = Some(error(FailureKind::Query, e.to_string()));
            return r;
        }
    };
    r.before = out.version_before();
    r.after = out.version_after();
    r.applied = out.applied.len();
    r.pending = Some(out.comparison.pending.len().saturating_sub(r.applied));
    r.problems = out.problems().iter().map(|p| p.to_string()).collect();
    let migrating = matches!(work, Work::Migrate { .. });
    r.error = if let Some(f) = out.failure() {
        Some(error(
            FailureKind::Migration,
            format!(
                "V{}__{} failed: {}. {}",
                f.version, f.name, f.message, f.fix
            ),
        ))
    } else if out.refused().is_some() {
        Some(error(
            FailureKind::Refused,
            "the environment is protected and the safety analysis refuses a pending statement (see `neonops migrate --plan`; --allow-risky)".into(),
        ))
    } else if migrating && !r.problems.is_empty() {
        Some(error(FailureKind::History, r.problems.join("; ")))
    } else {
        None
    };
    if r.error.is_none() {
        r.outcome = Outcome::Ok;
    }
    r
}
