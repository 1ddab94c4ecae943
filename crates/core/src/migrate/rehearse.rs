//! A rehearsal: the pending migrations run for real on a copy of the
//! database (a Neon branch), statement by statement, each migration in its
//! transaction with its history row as the runner does, with the runner's
//! timeouts; for each statement its duration, the locks it took and how
//! long each was held, and the tables it rewrote.
//!
//! How a hold is measured: in a transaction, a lock taken by a statement
//! (its backend's `pg_locks` after it, against before it) is held from the
//! statement's start to the end of the COMMIT; outside a transaction, a
//! second session watches the backend's `pg_locks` while the statement runs
//! (every 5 ms), and the lock is held from the first sighting to the last.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio_postgres::Client;

use super::history;
use super::model::{Options, RunError, q, session_setup};
use super::{MigrationFile, Table};
use crate::lint::LockMode;
use crate::rows::text as rows;

/// A lock one statement took, and how long it was held.
#[derive(Debug, Clone, Serialize)]
pub struct Held {
    pub relation: String,
    pub mode: LockMode,
    #[serde(rename = "held_ms")]
    #[serde(serialize_with = "ms")]
    pub held: Duration,
    pub blocks_writes: bool,
    pub blocks_reads: bool,
}

fn ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// One statement, as it ran.
#[derive(Debug, Clone, Serialize)]
pub struct Rehearsed {
    pub version: i32,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    pub transaction: bool,
    #[serde(rename = "duration_ms")]
    #[serde(serialize_with = "ms")]
    pub duration: Duration,
    pub locks: Vec<Held>,
    /// Tables whose storage it replaced (a rewrite).
    pub rewrote: Vec<String>,
}

/// The statement that failed, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Stopped {
    pub version: i32,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub sqlstate: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Rehearsal {
    pub statements: Vec<Rehearsed>,
    pub failed: Option<Stopped>,
}

impl Rehearsal {
    /// The longest hold of a lock that blocks writes, and its statement.
    pub fn longest_write_block(&self) -> Option<(&Rehearsed, &Held)> {
        self.statements
            .iter()
            .flat_map(|s| s.locks.iter().map(move |l| (s, l)))
            .filter(|(_, l)| l.blocks_writes)
            .max_by_key(|(_, l)| l.held)
    }
}

/// The table locks a backend holds (user tables: what the application
/// reads and writes; an index or TOAST table is locked with its table, and
/// a relation created by the statement is nobody else's yet).
const TABLE_LOCKS: &str = "SELECT c.oid::regclass::text, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.locktype = 'relation' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";

/// The table locks this backend holds now.
async fn own_locks(c: &Client) -> Result<BTreeSet<(String, LockMode)>, RunError> {
    let m = c
        .simple_query(&format!("{TABLE_LOCKS} AND l.pid = pg_backend_pid()"))
        .await
        .map_err(q("reading the rehearsal's locks"))?;
    Ok(rows(&m)
        .into_iter()
        .filter_map(|r| Some((r[0].clone(), LockMode::from_pg_locks(&r[1])?)))
        .collect())
}

/// Each user table's storage (relfilenode), to see rewrites.
async fn storage(c: &Client) -> Result<BTreeMap<String, String>, RunError> {
    let m = c
        .simple_query(
            "SELECT c.oid::regclass::text, c.relfilenode::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
        )
        .await
        .map_err(q("reading the tables' storage"))?;
    Ok(rows(&m)
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect())
}

fn rewritten(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    before
        .iter()
        .filter(|(t, node)| after.get(*t).is_some_and(|n| n != *node))
        .map(|(t, _)| t.clone())
        .collect()
}

fn held(relation: String, mode: LockMode, held: Duration) -> Held {
    Held {
        relation,
        mode,
        held,
        blocks_writes: mode.blocks_writes(),
        blocks_reads: mode.blocks_reads(),
    }
}

/// Each table's strongest lock (a weaker one on the same table is held
/// as long, and blocks less), strongest first.
pub fn strongest(locks: Vec<Held>) -> Vec<Held> {
    let mut by_table: BTreeMap<String, Held> = BTreeMap::new();
    for l in locks {
        match by_table.get(&l.relation) {
            Some(k) if (k.mode, k.held) >= (l.mode, l.held) => {}
            _ => {
                by_table.insert(l.relation.clone(), l);
            }
        }
    }
    let mut out: Vec<Held> = by_table.into_values().collect();
    out.sort_by_key(|l| std::cmp::Reverse((l.mode, l.held)));
    out
}

/// Watch a backend's relation locks from another session until `stop`:
/// each (relation, mode) with when it was first and last seen.
async fn watch(
    monitor: &Client,
    pid: i32,
    stop: tokio::sync::oneshot::Receiver<()>,
) -> BTreeMap<(String, LockMode), (Instant, Instant)> {
    let sql = format!("{TABLE_LOCKS} AND l.pid = {pid}");
    let mut seen: BTreeMap<(String, LockMode), (Instant, Instant)> = BTreeMap::new();
    let mut stop = stop;
    loop {
        if let Ok(m) = monitor.simple_query(&sql).await {
            let now = Instant::now();
            for r in rows(&m) {
                if let Some(mode) = LockMode::from_pg_locks(&r[1]) {
                    seen.entry((r[0].clone(), mode))
                        .and_modify(|(_, last)| *last = now)
                        .or_insert((now, now));
                }
            }
        }
        tokio::select! {
            _ = &mut stop => return seen,
            _ = tokio::time::sleep(Duration::from_millis(5)) => {}
        }
    }
}

/// Rehearse `files` (the pending migrations, in order) on `client`, a copy
/// of the database; `monitor` is a second session on it. The history table
/// is written as the runner writes it, so each file finds what it expects.
pub async fn rehearse(
    client: &Client,
    monitor: &Client,
    files: &[&MigrationFile],
    opts: &Options,
    mut running: impl FnMut(&MigrationFile, usize, usize, &str),
) -> Result<Rehearsal, RunError> {
    let table: &Table = &opts.table;
    client
        .simple_query(&session_setup(opts))
        .await
        .map_err(q("setting the session's timeouts"))?;
    client
        .simple_query(&table.create_sql())
        .await
        .map_err(q("creating the history table on the branch"))?;
    let pid: i32 = rows(
        &client
            .simple_query("SELECT pg_backend_pid()::text")
            .await
            .map_err(q("reading the rehearsal's backend"))?,
    )
    .first()
    .and_then(|r| r[0].parse().ok())
    .unwrap_or(0);
    let mut out = Rehearsal::default();
    for f in files {
        let statements = match crate::sql::parse(&f.sql) {
            Ok(s) => s,
            Err(e) => {
                out.failed = Some(Stopped {
                    version: f.version,
                    file: f.path.display().to_string(),
                    line: e.line,
                    column: e.column,
                    sqlstate: None,
                    message: format!("PostgreSQL's parser rejects it: {}", e.message),
                });
                return Ok(out);
            }
        };
        let stopped = if f.no_transaction {
            outside(client, monitor, pid, f, &statements, &mut out, &mut running).await?
        } else {
            inside(client, table, f, &statements, &mut out, &mut running).await?
        };
        if stopped.is_some() {
            out.failed = stopped;
            return Ok(out);
        }
        if f.no_transaction {
            client
                .simple_query(&history::insert_sql(table, f))
                .await
                .map_err(q("recording the migration on the branch"))?;
        }
    }
    Ok(out)
}

fn stopped(f: &MigrationFile, s: &crate::sql::Statement, e: &tokio_postgres::Error) -> Stopped {
    let e = super::session::ServerError::from(e);
    Stopped {
        version: f.version,
        file: f.path.display().to_string(),
        line: s.line,
        column: s.column,
        sqlstate: e.sqlstate.clone(),
        message: e.describe(),
    }
}

/// A migration in its transaction, statement by statement, then its
/// history row and COMMIT: each lock held from its statement's start to the
/// COMMIT's end.
async fn inside(
    client: &Client,
    table: &Table,
    f: &MigrationFile,
    statements: &[crate::sql::Statement],
    out: &mut Rehearsal,
    running: &mut impl FnMut(&MigrationFile, usize, usize, &str),
) -> Result<Option<Stopped>, RunError> {
    client
        .simple_query("BEGIN")
        .await
        .map_err(q("beginning a migration's transaction"))?;
    let first = out.statements.len();
    let mut taken: Vec<(usize, String, LockMode, Instant)> = Vec::new();
    let mut locks = own_locks(client).await?;
    for (k, s) in statements.iter().enumerate() {
        running(f, k + 1, statements.len(), &s.head());
        let before = storage(client).await?;
        let started = Instant::now();
        if let Err(e) = client.simple_query(&s.text).await {
            let _ = client.simple_query("ROLLBACK").await;
            return Ok(Some(stopped(f, s, &e)));
        }
        let duration = started.elapsed();
        let now = own_locks(client).await?;
        for (rel, mode) in now.difference(&locks) {
            taken.push((out.statements.len(), rel.clone(), *mode, started));
        }
        locks = now;
        let after = storage(client).await?;
        out.statements.push(Rehearsed {
            version: f.version,
            file: f.path.display().to_string(),
            line: s.line,
            column: s.column,
            statement: s.head(),
            transaction: true,
            duration,
            locks: Vec::new(),
            rewrote: rewritten(&before, &after),
        });
    }
    client
        .simple_query(&history::insert_sql(table, f))
        .await
        .map_err(q("recording the migration on the branch"))?;
    client
        .simple_query("COMMIT")
        .await
        .map_err(q("committing a migration on the branch"))?;
    let committed = Instant::now();
    for (i, rel, mode, since) in taken {
        out.statements[i]
            .locks
            .push(held(rel, mode, committed - since));
    }
    for s in &mut out.statements[first..] {
        s.locks = strongest(std::mem::take(&mut s.locks));
    }
    Ok(None)
}

/// A no-transaction migration, statement by statement, each watched from
/// the monitor session while it runs.
async fn outside(
    client: &Client,
    monitor: &Client,
    pid: i32,
    f: &MigrationFile,
    statements: &[crate::sql::Statement],
    out: &mut Rehearsal,
    running: &mut impl FnMut(&MigrationFile, usize, usize, &str),
) -> Result<Option<Stopped>, RunError> {
    for (k, s) in statements.iter().enumerate() {
        running(f, k + 1, statements.len(), &s.head());
        let before = storage(client).await?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let started = Instant::now();
        let (ran, seen) = tokio::join!(
            async {
                let r = client.simple_query(&s.text).await;
                let _ = tx.send(());
                r
            },
            watch(monitor, pid, rx)
        );
        let duration = started.elapsed();
        if let Err(e) = ran {
            return Ok(Some(stopped(f, s, &e)));
        }
        let after = storage(client).await?;
        let locks = strongest(
            seen.into_iter()
                .map(|((rel, mode), (first, last))| {
                    held(rel, mode, (last - first).max(Duration::from_millis(1)))
                })
                .collect(),
        );
        out.statements.push(Rehearsed {
            version: f.version,
            file: f.path.display().to_string(),
            line: s.line,
            column: s.column,
            statement: s.head(),
            transaction: false,
            duration,
            locks,
            rewrote: rewritten(&before, &after),
        });
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(rel: &str, mode: LockMode, ms: u64) -> Held {
        held(rel.into(), mode, Duration::from_millis(ms))
    }

    #[test]
    fn a_table_shows_its_strongest_lock_strongest_table_first() {
        let out = strongest(vec![
            h("a", LockMode::Share, 500),
            h("b", LockMode::RowExclusive, 900),
            h("a", LockMode::AccessExclusive, 400),
            h("a", LockMode::AccessShare, 900),
        ]);
        let got: Vec<(&str, LockMode, u128)> = out
            .iter()
            .map(|l| (l.relation.as_str(), l.mode, l.held.as_millis()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", LockMode::AccessExclusive, 400),
                ("b", LockMode::RowExclusive, 900)
            ]
        );
        assert!(out[0].blocks_reads && out[0].blocks_writes);
        assert!(!out[1].blocks_writes);
    }

    #[test]
    fn the_longest_write_block_ignores_locks_that_let_writes_through() {
        let stmt = |v: i32, locks: Vec<Held>| Rehearsed {
            version: v,
            file: format!("V{v}.sql"),
            line: 1,
            column: 1,
            statement: String::new(),
            transaction: true,
            duration: Duration::ZERO,
            locks,
            rewrote: Vec::new(),
        };
        let r = Rehearsal {
            statements: vec![
                stmt(1, vec![h("t", LockMode::ShareUpdateExclusive, 9000)]),
                stmt(2, vec![h("t", LockMode::Share, 300)]),
                stmt(3, vec![h("u", LockMode::AccessExclusive, 200)]),
            ],
            failed: None,
        };
        let (s, l) = r.longest_write_block().expect("one");
        assert_eq!((s.version, l.mode), (2, LockMode::Share));
        assert!(Rehearsal::default().longest_write_block().is_none());
    }
}
