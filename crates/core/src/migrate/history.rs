//! All the SQL of the history and progress tables, and of the runner's
//! session (its timeouts, the migration lock, who holds it), in one place:
//! refinery's layout, so that refinery and neonops can take turns.

use std::time::Duration;

use super::MigrationFile;
use crate::connect::quote_ident;

/// The runner's defaults, when neither a flag nor `[migrations]` sets them.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(600);
pub const IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(120);
pub const DEFAULT_LOCK_RETRIES: u32 = 3;

/// A history table's name that is not `table` or `schema.table`.
#[derive(Debug, thiserror::Error)]
#[error("history table \"{0}\": write it as table or schema.table")]
pub struct TableNameError(pub String);

/// The history table's name, quoted for SQL (`schema.table` allowed).
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub quoted: String,
}

impl Table {
    pub fn new(name: &str) -> Result<Table, TableNameError> {
        let parts: Vec<&str> = name.split('.').collect();
        if parts.len() > 2 || parts.iter().any(|p| p.is_empty()) {
            return Err(TableNameError(name.to_string()));
        }
        Ok(Table {
            name: name.to_string(),
            quoted: parts
                .iter()
                .map(|p| quote_ident(p))
                .collect::<Vec<_>>()
                .join("."),
        })
    }

    /// refinery's layout, so that refinery and neonops can take turns.
    pub fn create_sql(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {}(version int4 PRIMARY KEY, name varchar(255), applied_on varchar(255), checksum varchar(255))",
            self.quoted
        )
    }

    pub fn select_sql(&self) -> String {
        format!(
            "SELECT version::text, name, applied_on, checksum FROM {} ORDER BY version",
            self.quoted
        )
    }
}

/// The advisory lock key for a history table (FNV-1a of its name).
pub fn lock_key(table: &Table) -> i64 {
    crate::rows::fnv1a([format!("neonops:{}", table.name).as_bytes()], false) as i64
}

/// Take the migration lock back after SQL that may have released it (if it
/// is still held, it is taken once more: all of it goes with the session);
/// an error that says why if another runner holds it now.
pub(super) fn relock_sql(key: i64) -> String {
    format!(
        "DO $neonops$ BEGIN IF NOT pg_try_advisory_lock({key}) THEN RAISE EXCEPTION 'this migration released the migration lock (pg_advisory_unlock_all() or DISCARD ALL) and another runner has taken it' USING HINT = 'remove the unlock from the migration (lint rule releases-migration-lock); the other runner carries on'; END IF; END $neonops$"
    )
}

pub(super) use crate::quote::literal;

/// A history row's applied_on: the server's clock, in refinery's RFC 3339.
pub const APPLIED_ON: &str =
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

pub(super) fn insert_sql(table: &Table, f: &MigrationFile) -> String {
    format!(
        "INSERT INTO {} (version, name, applied_on, checksum) VALUES ({}, {}, {APPLIED_ON}, {})",
        table.quoted,
        f.version,
        literal(&f.name),
        literal(&f.checksum.to_string())
    )
}

/// The history row's INSERT as a prepared statement `name`, returning
/// `returning`: parsed and planned once a run instead of once a migration
/// (a quarter of the server's time for a short migration).
pub(super) fn prepare_insert_sql(table: &Table, name: &str, returning: &str) -> String {
    format!(
        "PREPARE {name}(int4, varchar, varchar) AS INSERT INTO {} (version, name, applied_on, checksum) VALUES ($1, $2, {APPLIED_ON}, $3){returning}",
        table.quoted
    )
}

pub(super) fn execute_insert_sql(name: &str, f: &MigrationFile) -> String {
    format!(
        "EXECUTE {name}({}, {}, {})",
        f.version,
        literal(&f.name),
        literal(&f.checksum.to_string())
    )
}

pub(super) const SESSION_COLUMNS: &str = "a.pid::text, coalesce(a.application_name, ''), coalesce(to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ'), ''), coalesce(a.state, ''), left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 120), coalesce(host(a.client_addr), 'local socket'), coalesce(to_char(a.state_change, 'YYYY-MM-DD HH24:MI:SS TZ'), '')";

/// neonops' own tables (the history and its progress), quoted: never part
/// of an application's schema.
pub fn own_tables(history: &Table) -> Vec<String> {
    vec![history.quoted.clone(), progress_table(history).quoted]
}

/// The progress table: beside the history table, named after it.
pub fn progress_table(history: &Table) -> Table {
    Table::new(&format!("{}_progress", history.name)).expect("a valid name plus a suffix")
}

pub fn progress_create_sql(t: &Table) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {}(version int4 PRIMARY KEY, name varchar(255), statement int4 NOT NULL, statements int4 NOT NULL, state varchar(16) NOT NULL, prefix varchar(64) NOT NULL, updated_on varchar(255), runner text)",
        t.quoted
    )
}

/// The runner's session settings: its timeouts.
pub fn session_setup(lock: Duration, statement: Duration, idle: Duration) -> String {
    format!(
        "SET lock_timeout = '{}ms'; SET statement_timeout = '{}ms'; SET idle_in_transaction_session_timeout = '{}ms'",
        lock.as_millis(),
        statement.as_millis(),
        idle.as_millis()
    )
}

/// What the lock query answers when the backend is not the one asked for.
pub const UNPROVEN: &str = "unproven";

/// Take the migration lock (or only read the backend's pid, for a plan);
/// with `only_on`, only if the backend is that pid (else [`UNPROVEN`]).
pub fn try_lock_sql(key: i64, lock: bool, only_on: Option<i32>) -> String {
    let take = format!("pg_try_advisory_lock({key})::text");
    let first = match (lock, only_on) {
        (false, _) => "'true'".to_string(),
        (true, None) => take,
        (true, Some(pid)) => {
            format!("CASE WHEN pg_backend_pid() = {pid} THEN {take} ELSE '{UNPROVEN}' END")
        }
    };
    format!("SELECT {first}, pg_backend_pid()::text")
}

/// The runner's timeouts, set only if the backend is `pid`: through a
/// transaction pooler they would stay on a server another client gets.
pub fn session_setup_on(lock: Duration, statement: Duration, idle: Duration, pid: i32) -> String {
    format!(
        "SELECT set_config('lock_timeout', '{}ms', false), set_config('statement_timeout', '{}ms', false), set_config('idle_in_transaction_session_timeout', '{}ms', false) WHERE pg_backend_pid() = {pid}",
        lock.as_millis(),
        statement.as_millis(),
        idle.as_millis()
    )
}

/// Release every session-level advisory lock of the runner's session (the
/// migration lock may be held more than once: see `relock_sql`), then
/// read back from pg_locks how much of it this backend still holds.
pub fn release_sql(key: i64) -> String {
    format!(
        "SELECT pg_advisory_unlock_all(); SELECT pg_backend_pid()::text, count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = {} AND objid = {} AND objsubid = 1",
        lock_ids(key).0,
        lock_ids(key).1
    )
}

/// A guard at the start of a message: fails, naming why, unless the
/// message runs on the backend `pid` (a pooler that moved the session
/// between two transactions stops the run there).
pub fn backend_guard_sql(pid: i32) -> String {
    format!("SELECT current_setting('{SESSION_MOVED}') WHERE pg_backend_pid() <> {pid}")
}

/// The setting the backend guard asks for (none has that name): its
/// error is how a moved session is recognised.
pub const SESSION_MOVED: &str = "neonops.session_moved_to_another_server_process";

/// The advisory lock's `(classid, objid)` in pg_locks for a bigint key
/// (objsubid 1).
fn lock_ids(key: i64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// Who holds the migration lock of this database.
pub fn lock_holder_sql(key: i64) -> String {
    format!(
        "SELECT {SESSION_COLUMNS} FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.classid = {} AND l.objid = {} AND l.objsubid = 1",
        lock_ids(key).0,
        lock_ids(key).1
    )
}

/// A subquery: the backend `pid` holds the migration lock of `key`.
pub fn lock_held_by_sql(key: i64, pid: i32) -> String {
    format!(
        "SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = {pid} AND l.classid = {} AND l.objid = {} AND l.objsubid = 1",
        lock_ids(key).0,
        lock_ids(key).1
    )
}

/// Indexes left INVALID, as `schema.index`.
pub const INVALID_INDEXES_SQL: &str =
    "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE NOT i.indisvalid ORDER BY 1";

/// The progress record of a no-transaction migration.
pub fn progress_read_sql(t: &Table, version: i32) -> String {
    format!(
        "SELECT statement::text, statements::text, state, prefix, coalesce(updated_on, '') FROM {} WHERE version = {version}",
        t.quoted
    )
}

/// Record how far a no-transaction migration got: its statement (1-based)
/// of how many, in `state`, and the hash of the statements completed.
pub fn progress_record_sql(
    t: &Table,
    f: &MigrationFile,
    statement: usize,
    statements: usize,
    state: &str,
    prefix: &str,
) -> String {
    format!(
        "INSERT INTO {t} (version, name, statement, statements, state, prefix, updated_on, runner) VALUES ({v}, {name}, {statement}, {statements}, '{state}', '{prefix}', {APPLIED_ON}, current_setting('application_name') || ' pid ' || pg_backend_pid()) ON CONFLICT (version) DO UPDATE SET statement = EXCLUDED.statement, statements = EXCLUDED.statements, state = EXCLUDED.state, prefix = EXCLUDED.prefix, updated_on = EXCLUDED.updated_on, runner = EXCLUDED.runner",
        t = t.quoted,
        v = f.version,
        name = literal(&f.name),
    )
}
