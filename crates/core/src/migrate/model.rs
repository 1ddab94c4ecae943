//! What a run takes and gives, shared by the runner (run.rs) and the two
//! ways it applies migrations (apply.rs, no_transaction.rs): the options,
//! the events, the steps and failures, the run's error, the sessions seen,
//! and what a migration's text may do to the session.

use std::time::Duration;

use serde::Serialize;
use tokio_postgres::{Client, SimpleQueryMessage};

use super::history;
use super::history::relock_sql;
use super::{Comparison, MigrationFile, Table};
use crate::connect::SqlState;
use crate::rows::text as rows;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Apply,
    /// Read only: what would run.
    Plan,
    /// Record as applied without running (baseline).
    Fake,
    /// Everything pending in one transaction.
    Grouped,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub table: Table,
    pub lock_timeout: Duration,
    pub statement_timeout: Duration,
    pub idle_in_transaction_timeout: Duration,
    pub lock_wait: Duration,
    pub lock_retries: u32,
    pub target: Option<i32>,
    pub mode: Mode,
    /// `--resume-from V:K`: continue the interrupted no-transaction
    /// migration V at its statement K (1-based).
    pub resume_from: Option<(i32, usize)>,
    /// The safety analysis of the files to apply.
    pub review: super::review::Review,
}

/// A server process (backend) seen in pg_stat_activity: a holder of the
/// migration lock, a blocker (not `migrate::session`, the runner's own
/// session's message layer).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Backend {
    pub pid: i32,
    pub application_name: String,
    pub since: String,
    pub state: String,
    pub query: String,
    /// Its client's address (`local socket` for a Unix socket).
    pub client: String,
    /// When its state last changed (idle since, for an idle session).
    pub state_since: String,
}

impl Backend {
    /// Idle (not in a transaction): it runs nothing, and ending it is safe
    /// for the migration lock's sake (a migration runs in a transaction, or
    /// a no-transaction statement, never idle between them for long).
    pub fn idle(&self) -> bool {
        self.state == "idle"
    }

    /// What ends it, when that is safe (idle); else what to wait for.
    pub fn fix(&self) -> String {
        if self.idle() {
            format!(
                "it is idle, so no migration runs in it: end it with `neonops unlock` (or SELECT pg_terminate_backend({})), then re-run",
                self.pid
            )
        } else {
            format!(
                "it is {} (a migration may be running): wait for it to finish, or raise --lock-wait",
                self.state
            )
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} (application_name \"{}\", client {}, since {}, {} since {})",
            self.pid, self.application_name, self.client, self.since, self.state, self.state_since
        )?;
        if !self.query.is_empty() {
            write!(f, ": {}", self.query)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub version: i32,
    pub name: String,
    #[serde(rename = "duration_ms", serialize_with = "ms")]
    pub duration: Duration,
    pub transaction: bool,
    pub attempts: u32,
}

fn ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

#[derive(Debug, Clone, Serialize)]
pub struct MigrationFailure {
    pub version: i32,
    pub name: String,
    pub file: String,
    pub sqlstate: Option<String>,
    pub message: String,
    pub attempts: u32,
    /// Sessions that held the locks this migration waited for.
    pub blockers: Vec<Backend>,
    /// Indexes left INVALID (by an interrupted CREATE INDEX CONCURRENTLY).
    pub invalid_indexes: Vec<String>,
    pub fix: String,
    /// The connection was lost (exit 3, as for a connection that could not be made).
    pub connection_lost: bool,
}

/// What the server runs now (the messages before it are answered).
#[derive(Debug, Clone, Copy)]
pub struct Running<'a> {
    pub version: i32,
    pub name: &'a str,
    /// Quick migrations share a message: the last of them.
    pub last: Option<i32>,
    /// The statement (1-based) of how many, and its first words, when known.
    pub part: Option<(usize, usize, &'a str)>,
}

pub enum Event<'a> {
    /// The migration lock is held by another session.
    Waiting(Option<&'a Backend>),
    /// The server is on this migration (or statement of it) now.
    Running(Running<'a>),
    Applied(&'a Step),
    Retrying {
        version: i32,
        attempt: u32,
        pause: Duration,
    },
    /// A no-transaction migration interrupted in an earlier run continues
    /// at this statement (1-based).
    Resuming {
        version: i32,
        statement: usize,
        statements: usize,
    },
    /// The analysis of the files to apply, before the first is applied.
    Review(&'a crate::lint::Analysis),
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub comparison: Comparison,
    /// Indices of the files that were to be applied (pending, within the target).
    pub planned: Vec<usize>,
    pub applied: Vec<Step>,
    pub lock_waited: Duration,
    /// The safety analysis of the files to apply.
    pub analysis: Option<crate::lint::Analysis>,
    /// How the run ended.
    pub ended: Ended,
}

/// How a run ended: one of these, never a mix.
#[derive(Debug, Default)]
pub enum Ended {
    /// Every planned migration was applied (recorded, for `--fake`; shown,
    /// for a plan), or there was nothing to apply.
    #[default]
    Done,
    /// The history and the files disagree, or a file to apply is wrong
    /// (what PostgreSQL's parser finds, before any DDL): nothing applied.
    Conflict {
        history: Vec<super::Problem>,
        files: Vec<super::Problem>,
    },
    /// The safety analysis refuses these findings (a protected environment
    /// without --allow-risky): nothing applied.
    Refused(Vec<crate::lint::Finding>),
    /// A migration failed; those before it are applied.
    Failed(MigrationFailure),
}

impl Outcome {
    /// Every problem the run found: the history's, then the files'.
    pub fn problems(&self) -> Vec<super::Problem> {
        match &self.ended {
            Ended::Conflict { history, files } => history.iter().chain(files).cloned().collect(),
            _ => Vec::new(),
        }
    }

    pub fn failure(&self) -> Option<&MigrationFailure> {
        match &self.ended {
            Ended::Failed(f) => Some(f),
            _ => None,
        }
    }

    /// The findings the review refused, when it refused.
    pub fn refused(&self) -> Option<&[crate::lint::Finding]> {
        match &self.ended {
            Ended::Refused(f) => Some(f),
            _ => None,
        }
    }

    /// The highest version applied before this run (None: none).
    pub fn version_before(&self) -> Option<i32> {
        self.comparison
            .entries
            .iter()
            .filter(|e| e.state == super::State::Applied)
            .map(|e| e.version)
            .max()
    }

    /// The highest version applied once this run is over.
    pub fn version_after(&self) -> Option<i32> {
        self.version_before()
            .max(self.applied.iter().map(|s| s.version).max())
    }
}

/// Errors that are not a migration failing: the lock wait ran out, or the
/// server failed a query neonops itself sent.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(
        "another migration runner holds the migration lock{}: gave up after waiting {waited:.0?} (--lock-wait){}",
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default(),
        holder.as_ref().map(|h| format!(". Fix: {}", h.fix())).unwrap_or_default()
    )]
    LockWait {
        holder: Option<Backend>,
        waited: Duration,
    },
    /// The message carries the server's error, so it is not a `source`
    /// (the chain would say it twice).
    #[error("{what}: {}", server_said(error))]
    Query {
        what: &'static str,
        error: tokio_postgres::Error,
    },
    #[error("{0}")]
    Refused(String),
    /// Rows of the history table that cannot be read.
    #[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    DamagedHistory(Vec<super::Problem>),
    /// The connection is not a session of its own: nothing was changed.
    #[error(transparent)]
    NotASession(#[from] crate::connect::proof::NotASession),
    /// The migration lock could not be released, or is still held after
    /// it was: what to run to end it.
    #[error("{0}")]
    Unreleased(String),
}

impl RunError {
    /// The server's SQLSTATE, when a query neonops sent failed.
    pub fn sqlstate(&self) -> Option<String> {
        match self {
            RunError::Query { error, .. } => error.code().map(|c| c.code().to_string()),
            _ => None,
        }
    }

    /// The session that held the migration lock, when the wait ran out.
    pub fn blocker(&self) -> Option<&Backend> {
        match self {
            RunError::LockWait { holder, .. } => holder.as_ref(),
            _ => None,
        }
    }
}

pub(super) fn q(what: &'static str) -> impl FnOnce(tokio_postgres::Error) -> RunError {
    move |error| RunError::Query { what, error }
}

impl Options {
    /// Read the history and compare, changing nothing (no lock, no DDL).
    pub fn read_only(table: Table) -> Options {
        Options {
            table,
            lock_timeout: history::DEFAULT_LOCK_TIMEOUT,
            statement_timeout: Duration::from_secs(30),
            idle_in_transaction_timeout: history::IDLE_IN_TRANSACTION_TIMEOUT,
            lock_wait: Duration::ZERO,
            lock_retries: 0,
            target: None,
            mode: Mode::Plan,
            resume_from: None,
            review: Default::default(),
        }
    }
}

/// The runner's session settings: its timeouts.
pub(super) fn session_setup(opts: &Options) -> String {
    history::session_setup(
        opts.lock_timeout,
        opts.statement_timeout,
        opts.idle_in_transaction_timeout,
    )
}

/// What a migration's SQL may do to the runner's session. Any mention,
/// however spelt or quoted (dynamic SQL too), counts: the text is read once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Touches {
    /// Deallocate prepared statements (`DEALLOCATE`), the history's too.
    pub deallocates: bool,
    /// Release the migration lock (`pg_advisory_unlock_all()`, `DISCARD ALL`).
    pub unlocks: bool,
    /// Change the runner's timeouts (`RESET ALL`, `DISCARD ALL`, a `SET`
    /// of a timeout).
    pub settings: bool,
}

impl Touches {
    pub fn of(sql: &str) -> Touches {
        let lower = sql.to_ascii_lowercase();
        let has = |w: &str| lower.contains(w);
        Touches {
            deallocates: has("deallocate"),
            unlocks: has("pg_advisory_unlock_all") || has("discard"),
            settings: [
                "reset",
                "discard",
                "lock_timeout",
                "statement_timeout",
                "idle_in_transaction",
            ]
            .into_iter()
            .any(has),
        }
    }

    /// What to send after such SQL, in its transaction: the lock taken
    /// back (`key`), the timeouts set again (`setup`); empty if nothing.
    pub fn restore(self, key: i64, setup: &str) -> String {
        let mut out = String::new();
        if self.unlocks {
            out.push_str(&relock_sql(key));
            out.push_str(";\n");
        }
        if self.settings {
            out.push_str(setup);
            out.push_str(";\n");
        }
        out
    }
}

pub(super) fn sessions(messages: &[SimpleQueryMessage]) -> Vec<Backend> {
    rows(messages)
        .into_iter()
        .filter(|r| r.len() >= 7)
        .map(|r| Backend {
            pid: r[0].parse().unwrap_or_default(),
            application_name: r[1].clone(),
            since: r[2].clone(),
            state: r[3].clone(),
            query: r[4].clone(),
            client: r[5].clone(),
            state_since: r[6].clone(),
        })
        .collect()
}

/// Indexes left INVALID, as `schema.index`.
pub async fn invalid_indexes(client: &Client) -> Result<Vec<String>, RunError> {
    let m = client
        .simple_query(history::INVALID_INDEXES_SQL)
        .await
        .map_err(q("looking for invalid indexes"))?;
    Ok(rows(&m)
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .collect())
}

pub(super) fn failure_of(
    f: &MigrationFile,
    e: &super::session::ServerError,
    at: Option<(usize, usize)>,
    attempts: u32,
    blockers: Vec<Backend>,
    invalid_indexes: Vec<String>,
) -> MigrationFailure {
    let code = e.sqlstate.clone();
    let state = e.state();
    let mut message = e.describe();
    if let Some((line, column)) = at {
        message.push_str(&format!(" (line {line}, column {column})"));
    }
    // The session ended under the migration: a restart, a failover, the
    // network. What committed is in the history; nothing else is.
    let connection_lost = e.connection_lost();
    let moved = e.message.contains(history::SESSION_MOVED);
    if moved {
        message = format!(
            "the session moved to another server process before V{} (a transaction pooler is in between)",
            f.version
        );
    }
    let fix = match state {
        _ if moved => "nothing of this migration ran; migrations before it are applied: give the server's own URL (--direct-url or DATABASE_URL_DIRECT), or declare the pooler under [[pooler]] in neonops.toml with direct_host, and re-run".to_string(),
        _ if connection_lost => format!(
            "the connection to the server was lost while V{} ran (a restart, a failover or the network): it is applied only if the history says so; re-run `neonops migrate`, which continues from the history",
            f.version
        ),
        Some(SqlState::LockNotAvailable) => {
            "another session holds a lock this migration needs: wait for it to finish (or end it), then re-run; nothing of this migration was committed".to_string()
        }
        Some(SqlState::QueryCanceled) => "the statement ran past statement_timeout: raise --statement-timeout for this run, or split the migration".to_string(),
        _ if !invalid_indexes.is_empty() => format!(
            "drop the invalid index{} with DROP INDEX CONCURRENTLY {}; then re-run",
            if invalid_indexes.len() > 1 { "es" } else { "" },
            invalid_indexes.join(", ")
        ),
        _ if f.no_transaction => "fix the file and re-run: statements before the failing one have run, and the migration is not recorded".to_string(),
        _ => "fix the migration and re-run: nothing of it was committed".to_string(),
    };
    MigrationFailure {
        version: f.version,
        name: f.name.clone(),
        file: f.path.display().to_string(),
        sqlstate: code,
        message,
        attempts,
        blockers,
        invalid_indexes,
        fix,
        connection_lost,
    }
}

/// The server's own message (the driver's Display of a server error is
/// only "db error"), its SQLSTATE with it.
fn server_said(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!(
            "{}{}",
            d.message(),
            crate::connect::sqlstate::suffix(Some(d.code().code()))
        ),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::history::lock_key;

    #[test]
    fn what_a_migrations_text_may_do_to_the_session() {
        let t = |sql: &str| {
            let x = Touches::of(sql);
            (x.deallocates, x.unlocks, x.settings)
        };
        assert_eq!(t("CREATE TABLE a (id int);"), (false, false, false));
        assert_eq!(t("DEALLOCATE ALL;"), (true, false, false));
        assert_eq!(t("SELECT pg_advisory_unlock_all();"), (false, true, false));
        assert_eq!(t("DISCARD ALL;"), (false, true, true));
        assert_eq!(t("RESET ALL;"), (false, false, true));
        assert_eq!(t("SET LOCK_TIMEOUT = 0;"), (false, false, true));
        // In any case, also in dynamic SQL: any mention counts.
        assert_eq!(
            t("DO $$ BEGIN EXECUTE 'Deallocate all'; END $$;"),
            (true, false, false)
        );
        // What is put back, in the migration's transaction.
        let key = 42;
        assert_eq!(Touches::of("SELECT 1;").restore(key, "SET x"), "");
        let r = Touches::of("DISCARD ALL;").restore(key, "SET x");
        assert!(
            r.contains("pg_try_advisory_lock(42)") && r.ends_with("SET x;\n"),
            "{r}"
        );
    }

    #[test]
    fn the_session_setup_carries_the_runners_timeouts() {
        let opts = Options::read_only(Table::new("h").unwrap());
        let s = session_setup(&opts);
        assert!(s.contains("SET lock_timeout = '5000ms'"), "{s}");
        assert!(s.contains("SET statement_timeout = '30000ms'"), "{s}");
        assert!(
            s.contains("idle_in_transaction_session_timeout = '60000ms'"),
            "{s}"
        );
        // The lock key depends on the history table's name alone.
        assert_eq!(
            lock_key(&Table::new("h").unwrap()),
            lock_key(&Table::new("h").unwrap())
        );
        assert_ne!(
            lock_key(&Table::new("h").unwrap()),
            lock_key(&Table::new("s.h").unwrap())
        );
    }
}

#[cfg(test)]
mod failure_tests {
    use super::*;
    use crate::migrate::session::ServerError;
    use crate::migrate::session::scripted::refused;
    use crate::migrate::testing::file;

    #[test]
    fn a_failure_is_named_with_the_fix_that_fits_it() {
        let f = file(3, "c", "ALTER TABLE t ADD COLUMN x int;");
        let fix =
            |e: &ServerError, invalid: Vec<String>| failure_of(&f, e, None, 1, Vec::new(), invalid);
        let lock = fix(
            &refused(
                SqlState::LockNotAvailable,
                "canceling statement due to lock timeout",
                None,
            ),
            Vec::new(),
        );
        assert!(
            lock.fix.contains("another session holds a lock"),
            "{}",
            lock.fix
        );
        assert!(!lock.connection_lost);
        assert_eq!(
            lock.sqlstate.as_deref(),
            Some(crate::connect::sqlstate::SqlState::LockNotAvailable.code())
        );
        let slow = fix(
            &refused(
                SqlState::QueryCanceled,
                "canceling statement due to statement timeout",
                None,
            ),
            Vec::new(),
        );
        assert!(slow.fix.contains("--statement-timeout"), "{}", slow.fix);
        for state in [
            SqlState::AdminShutdown,
            SqlState::CrashShutdown,
            SqlState::CannotConnectNow,
        ] {
            let gone = fix(&refused(state, "terminating connection", None), Vec::new());
            assert!(gone.connection_lost, "{state}");
            assert!(gone.fix.contains("the history says so"), "{}", gone.fix);
        }
        let closed = ServerError {
            sqlstate: None,
            message: "connection closed".into(),
            detail: None,
            position: None,
            closed: true,
        };
        assert!(fix(&closed, Vec::new()).connection_lost);
        let invalid = fix(
            &refused(SqlState::InternalError, "boom", None),
            vec!["public.i".into()],
        );
        assert!(
            invalid.fix.contains("DROP INDEX CONCURRENTLY public.i"),
            "{}",
            invalid.fix
        );
        let other = fix(
            &ServerError {
                detail: Some("Key (id)=(1) already exists.".into()),
                ..refused(SqlState::InternalError, "duplicate key", None)
            },
            Vec::new(),
        );
        assert_eq!(
            other.message,
            "duplicate key (detail: Key (id)=(1) already exists.)"
        );
        assert!(other.fix.contains("nothing of it was committed"));
        let g = failure_of(
            &f,
            &refused(SqlState::InternalError, "x", None),
            Some((4, 2)),
            2,
            Vec::new(),
            Vec::new(),
        );
        assert!(g.message.ends_with("(line 4, column 2)"), "{}", g.message);
        assert_eq!(g.attempts, 2);
    }
}
