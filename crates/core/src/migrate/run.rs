//! The runner: one runner at a time (a polled advisory try-lock), the
//! session's timeouts, and migrations pipelined so that the round trips do
//! not grow with their number, each still atomic with its history row
//! (`BEGIN; <sql>; <history insert>; COMMIT`). How they are grouped into
//! messages, and why a failed COMMIT cannot let a later one run:
//! `apply.rs`.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::history;
pub use super::history::lock_key;
pub use super::model::{
    Backend, Ended, Event, MigrationFailure, Mode, Options, Outcome, RunError, Running, Step,
};
use super::model::{q, session_setup, sessions};
use super::{Applied, MigrationFile, Table, compare, parse_history};
use crate::connect::SqlState;
use crate::connect::proof::Proven;
use crate::rows::text as rows;

/// Where the runner's connection goes, for the proof that it is a session
/// of its own (connect::proof): the BackendKeyData's pid and `host:port`.
#[derive(Debug, Clone, Default)]
pub struct Link {
    pub key_pid: Option<i32>,
    pub target: String,
    /// The session, once proven (set by the run: what an interrupted run
    /// cancels and releases).
    pub proven: std::cell::Cell<Option<Proven>>,
}

impl Link {
    pub fn of(c: &crate::connect::Connected) -> Link {
        Link {
            key_pid: c.key_pid,
            target: c.target.clone(),
            proven: Default::default(),
        }
    }
}

/// A run stopped by a signal: what it did about it.
#[derive(Debug, thiserror::Error)]
#[error(
    "interrupted by {signal}: {what}; migrations committed before it stay applied (`neonops status` lists them)"
)]
pub struct Interrupted {
    pub signal: &'static str,
    pub what: String,
}

/// After a signal: cancel what the session runs (from a second client),
/// roll back, release the migration lock and check it in pg_locks, within
/// `limit`. The run's future is dropped; what it had sent fails at the
/// guards of its messages (nothing after a cancelled migration commits).
pub async fn interrupt(
    client: &Client,
    monitor: Monitor<'_>,
    table: &Table,
    link: &Link,
    signal: &'static str,
    limit: Duration,
) -> Interrupted {
    let Some(proven) = link.proven.get() else {
        return Interrupted {
            signal,
            what: "nothing had started (the session was not yet proven, no lock taken)".into(),
        };
    };
    let work = async {
        if let Some(m) = monitor().await {
            let _ = m
                .simple_query(&format!("SELECT pg_cancel_backend({})", proven.pid()))
                .await;
        }
        release(client, lock_key(table), proven).await
    };
    let what = match tokio::time::timeout(limit, work).await {
        Ok(Ok(())) => "the running statement was cancelled and its migration rolled back; the migration lock was released (checked in pg_locks)".to_string(),
        Ok(Err(e)) => format!("the running statement was cancelled, but {e}"),
        Err(_) => format!(
            "the session did not answer within {}s: the server ends its locks when it notices the connection is gone; see who holds the migration lock with `neonops doctor`",
            limit.as_secs()
        ),
    };
    Interrupted { signal, what }
}

/// No monitor connection (read-only runs never retry).
pub fn no_monitor() -> futures_util::future::LocalBoxFuture<'static, Option<Client>> {
    Box::pin(async { None })
}

/// Compare the files with the history, changing nothing: one round trip.
pub async fn plan(
    client: &Client,
    files: &[MigrationFile],
    table: Table,
) -> Result<Outcome, RunError> {
    run(
        client,
        &no_monitor,
        &Link::default(),
        files,
        &Options::read_only(table),
        &mut |_| {},
    )
    .await
}

/// The session that holds the migration lock of `key`, if any.
pub async fn lock_holder(client: &Client, key: i64) -> Option<Backend> {
    client
        .simple_query(&history::lock_holder_sql(key))
        .await
        .ok()
        .and_then(|m| sessions(&m).into_iter().next())
}

/// What the lock query answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    /// Taken (or not asked for, for a plan).
    Taken,
    /// Another session holds it.
    Busy,
    /// Not asked: the backend is not the one the session was to be on (the
    /// cancel key's pid, or the pid proven before), so nothing was set or
    /// taken there.
    Unproven,
}

/// What `open` read.
struct Opened {
    lock: Lock,
    pid: i32,
    /// None: the history table does not exist.
    history: Option<Vec<Applied>>,
}

/// Read history, taking the lock (or not, for a plan). One round trip.
/// `only_on`: set the session and take the lock only if the backend is
/// this pid (through a transaction pooler, nothing is left on a server
/// connection another client gets next).
async fn open(
    client: &Client,
    opts: &Options,
    key: i64,
    setup: bool,
    lock: bool,
    only_on: Option<i32>,
) -> Result<Opened, RunError> {
    let lock_sql = history::try_lock_sql(key, lock, only_on);
    let setup_sql = setup.then(|| match only_on {
        Some(pid) => history::session_setup_on(
            opts.lock_timeout,
            opts.statement_timeout,
            opts.idle_in_transaction_timeout,
            pid,
        ),
        None => session_setup(opts),
    });
    let history_sql = opts.table.select_sql();
    let no_setup = async { Ok::<_, tokio_postgres::Error>(Vec::new()) };
    let (s, l, h) = tokio::join!(
        async {
            match &setup_sql {
                Some(s) => client.simple_query(s).await,
                None => no_setup.await,
            }
        },
        client.simple_query(&lock_sql),
        client.simple_query(&history_sql)
    );
    s.map_err(q("setting the session's timeouts"))?;
    let l = l.map_err(q("taking the migration lock"))?;
    let row = rows(&l).into_iter().next().unwrap_or_default();
    let lock = match row.first().map(String::as_str) {
        Some("true") => Lock::Taken,
        Some(history::UNPROVEN) => Lock::Unproven,
        _ => Lock::Busy,
    };
    let pid = row.get(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let history = match h {
        Ok(m) => Some(m),
        Err(e)
            if matches!(
                SqlState::of_error(&e),
                Some(SqlState::UndefinedTable | SqlState::InvalidSchemaName)
            ) =>
        {
            None
        }
        Err(e) => {
            return Err(RunError::Query {
                what: "reading the history table",
                error: e,
            });
        }
    };
    let history = match history {
        None => None,
        Some(m) => Some(parse_history(&opts.table, &m).map_err(RunError::DamagedHistory)?),
    };
    Ok(Opened { lock, pid, history })
}

/// The session once the lock is held (or not needed, for a plan).
struct Locked {
    /// The proven backend (for a plan: the backend that answered).
    pid: i32,
    /// None for a plan (no lock, no proof needed).
    proven: Option<Proven>,
    /// None: the history table does not exist.
    history: Option<Vec<Applied>>,
}

type Monitor<'a> = &'a dyn Fn() -> futures_util::future::LocalBoxFuture<'static, Option<Client>>;

/// The session moved to another backend between two transactions.
fn moved(link: &Link, from: i32, to: i32) -> RunError {
    crate::connect::proof::NotASession::moved(&link.target, from, to).into()
}

/// Prove the session (connect::proof), set it, take the migration lock
/// (waiting up to `lock_wait` for another runner, with backoff) and read
/// the history. Proven by the cancel key, this is the one round trip it
/// always was: the lock and the settings are asked for only on the
/// backend the key names.
async fn lock_and_read(
    client: &Client,
    monitor: Monitor<'_>,
    link: &Link,
    opts: &Options,
    key: i64,
    events: &mut dyn FnMut(Event),
) -> Result<(Locked, Outcome), RunError> {
    let take_lock = opts.mode != Mode::Plan;
    let started = Instant::now();
    let only_on = take_lock.then(|| link.key_pid.unwrap_or(0));
    let mut o = open(client, opts, key, true, take_lock, only_on).await?;
    let proven = match (take_lock, o.lock) {
        (false, _) => None,
        (true, Lock::Unproven) => {
            tracing::debug!(
                key_pid = ?link.key_pid,
                backend_pid = o.pid,
                "the cancel key does not name the backend: probing with a second client"
            );
            let p = crate::connect::proof::probe(client, o.pid, &link.target, monitor()).await?;
            let first = o.pid;
            o = open(client, opts, key, true, true, Some(first)).await?;
            if o.lock == Lock::Unproven {
                return Err(moved(link, first, o.pid));
            }
            Some(p)
        }
        (true, _) => {
            tracing::debug!(pid = o.pid, "session proven by its cancel key");
            Some(Proven::Direct { pid: o.pid })
        }
    };
    let pid = o.pid;
    let mut backoff =
        crate::backoff::Backoff::new(Duration::from_millis(200), Duration::from_secs(2));
    let mut holder = None;
    while o.lock != Lock::Taken {
        if o.lock == Lock::Unproven {
            return Err(moved(link, pid, o.pid));
        }
        if holder.is_none() {
            holder = lock_holder(client, key).await;
            events(Event::Waiting(holder.as_ref()));
        }
        let waited = started.elapsed();
        if waited >= opts.lock_wait {
            return Err(RunError::LockWait { holder, waited });
        }
        tokio::time::sleep(backoff.pause().min(opts.lock_wait - waited)).await;
        o = open(client, opts, key, false, true, Some(pid)).await?;
    }
    let out = Outcome {
        lock_waited: if holder.is_some() {
            started.elapsed()
        } else {
            Duration::ZERO
        },
        ..Outcome::default()
    };
    Ok((
        Locked {
            pid,
            proven,
            history: o.history,
        },
        out,
    ))
}

/// Release the migration lock and check in pg_locks that this session
/// holds none of it any more (one round trip). An aborted transaction is
/// rolled back first.
pub async fn release(client: &Client, key: i64, proven: Proven) -> Result<(), RunError> {
    let sql = history::release_sql(key);
    let answer = match client.simple_query(&sql).await {
        Err(e) if SqlState::of_error(&e) == Some(SqlState::InFailedSqlTransaction) => {
            let _ = client.simple_query("ROLLBACK").await;
            client.simple_query(&sql).await
        }
        a => a,
    };
    let unreleased = |why: String| {
        RunError::Unreleased(format!(
            "{why}: see who holds it with `neonops doctor`, and end that session with `neonops unlock` (or SELECT pg_terminate_backend(<pid>)) once it is idle"
        ))
    };
    match answer {
        Ok(m) => {
            let row = rows(&m).into_iter().last().unwrap_or_default();
            let pid: i32 = row.first().and_then(|p| p.parse().ok()).unwrap_or(0);
            let held: i64 = row.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
            if pid != proven.pid() {
                return Err(unreleased(format!(
                    "the migration lock's release ran on server process {pid}, not on {} which holds it (a pooler in between)",
                    proven.pid()
                )));
            }
            if held > 0 {
                return Err(unreleased(format!(
                    "the migration lock is still held by server process {pid} after its release"
                )));
            }
            tracing::debug!(pid, "migration lock released, none held (pg_locks)");
            Ok(())
        }
        // PostgreSQL ends a session's locks with it.
        Err(e) if e.is_closed() && matches!(proven, Proven::Direct { .. }) => Ok(()),
        Err(e) => Err(unreleased(format!(
            "the migration lock could not be released ({})",
            crate::connect::error::db_message(&e)
        ))),
    }
}

pub async fn run(
    client: &Client,
    monitor: Monitor<'_>,
    link: &Link,
    files: &[MigrationFile],
    opts: &Options,
    events: &mut dyn FnMut(Event),
) -> Result<Outcome, RunError> {
    let key = lock_key(&opts.table);
    let (locked, out) = lock_and_read(client, monitor, link, opts, key, events).await?;
    let proven = locked.proven;
    link.proven.set(proven);
    let result = locked_work(client, monitor, files, opts, locked, out, events).await;
    // On every way out of a run that took the lock: released and checked.
    if let Some(p) = proven {
        let released = release(client, key, p).await;
        if let Err(e) = released {
            return match result {
                // The run's own error says more; the lock's is logged.
                Err(r) => {
                    tracing::warn!("{e}");
                    Err(r)
                }
                Ok(_) => Err(e),
            };
        }
    }
    result
}

async fn locked_work(
    client: &Client,
    monitor: Monitor<'_>,
    files: &[MigrationFile],
    opts: &Options,
    locked: Locked,
    mut out: Outcome,
    events: &mut dyn FnMut(Event),
) -> Result<Outcome, RunError> {
    let (pid, history) = (locked.pid, locked.history);
    let table_exists = history.is_some();
    let applied = history.unwrap_or_default();
    out.comparison = compare(files, &applied);
    let history = out.comparison.problems.clone();
    out.planned = out
        .comparison
        .pending
        .iter()
        .copied()
        .filter(|&i| opts.target.is_none_or(|t| files[i].version <= t))
        .collect();
    if out.planned.is_empty() {
        if !history.is_empty() {
            out.ended = Ended::Conflict {
                history,
                files: Vec::new(),
            };
        }
        return Ok(out);
    }
    let planned: Vec<&MigrationFile> = out.planned.iter().map(|&i| &files[i]).collect();
    // Only the files to apply are parsed (a run with nothing to do parses
    // nothing), once: for their problems, the analysis and the batching.
    // Their problems are listed with the history's, all at once.
    let lint_files: Vec<crate::lint::LintFile> = planned.iter().map(|f| f.lint_file()).collect();
    let parsed = crate::lint::parse_all(&lint_files);
    let file_problems: Vec<super::Problem> = planned
        .iter()
        .zip(&parsed)
        .flat_map(|(f, p)| super::files::parsed_problems(f, p))
        .collect();
    if !file_problems.is_empty() || !history.is_empty() {
        out.ended = Ended::Conflict {
            history,
            files: file_problems,
        };
        return Ok(out);
    }
    let quick = crate::lint::quick_files(&parsed);
    let mut prepared = opts
        .review
        .enabled
        .then(|| crate::lint::Prepared::from_parsed(&lint_files, parsed));
    // When the analysis cannot stop the run (nothing to refuse, applying, the
    // first file in a transaction), its query travels ahead of the
    // migrations: one round trip fewer, and still answered before the first
    // migration runs.
    let ahead = if opts.review.refuse_at.is_none()
        && opts.mode == Mode::Apply
        && !planned[0].no_transaction
    {
        prepared
            .take()
            .map(|p| super::review::Ahead::new(&planned, p, &opts.review.settings))
    } else {
        None
    };
    if let Some(p) = prepared {
        let analysis = super::review::analyze_prepared(client, &planned, p, &opts.review.settings)
            .await
            .map_err(q("reading the tables' sizes for the safety analysis"))?;
        let refusing: Vec<crate::lint::Finding> = super::review::refusing(&opts.review, &analysis)
            .into_iter()
            .cloned()
            .collect();
        if !refusing.is_empty() {
            out.ended = Ended::Refused(refusing);
        }
        if opts.mode != Mode::Plan && !analysis.findings.is_empty() {
            events(Event::Review(&analysis));
        }
        out.analysis = Some(analysis);
    }
    if opts.mode == Mode::Plan || out.refused().is_some() {
        return Ok(out);
    }
    let create = (!table_exists).then(|| opts.table.create_sql());
    match opts.mode {
        Mode::Fake | Mode::Grouped => {
            super::apply::in_one_transaction(client, opts, &planned, create, events, &mut out)
                .await?
        }
        Mode::Apply | Mode::Plan => {
            let each = super::apply::Each {
                client,
                monitor,
                opts,
                pid,
                create,
                ahead: ahead.as_ref(),
                quick: &quick,
            };
            each.run(&planned, events, &mut out).await?
        }
    }
    Ok(out)
}
