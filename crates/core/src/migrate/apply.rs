//! Applying the planned migrations: all in one transaction (`--grouped`,
//! `--fake`), or each in its own, pipelined, with lock-timeout retries and
//! no-transaction files run statement by statement.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_postgres::Client;
use tracing::{debug, warn};

use super::history::{
    SESSION_COLUMNS, execute_insert_sql, insert_sql, lock_key, prepare_insert_sql,
};
use super::message::{Failed, Message, Part};
use super::model::{
    Backend, Ended, Event, Mode, Options, Outcome, RunError, Running, Step, Touches, failure_of, q,
    session_setup, sessions,
};
use super::review::Ahead;
use super::session::{Channel, replies, row_sets};
use super::{MigrationFile, Table, history, no_transaction};
use crate::connect::SqlState;

/// Every planned file and its history row in one transaction; with
/// `--fake`, the history rows only.
pub(super) async fn in_one_transaction(
    client: &Client,
    opts: &Options,
    planned: &[&MigrationFile],
    create: Option<String>,
    events: &mut dyn FnMut(Event),
    out: &mut Outcome,
) -> Result<(), RunError> {
    if opts.mode == Mode::Grouped
        && let Some(f) = planned.iter().find(|f| f.no_transaction)
    {
        return Err(RunError::Refused(format!(
            "{} is a no-transaction migration and cannot run in a --grouped transaction: run without --grouped",
            f.path.display()
        )));
    }
    let mut m = Message::new(0);
    m.push("BEGIN;\n");
    if let Some(c) = create {
        m.push(&c);
        m.push(";\n");
    }
    m.push_mark(None);
    for f in planned {
        if opts.mode == Mode::Grouped {
            m.push_file(&f.sql);
            m.push("\n;\n");
            m.push(&Touches::of(&f.sql).restore(lock_key(&opts.table), &session_setup(opts)));
        }
        m.push(&insert_sql(&opts.table, f));
        m.push(";\n");
        m.push_mark(Some(f.version));
    }
    m.push("COMMIT;");
    // Durations are kept until the COMMIT: nothing is applied before it.
    let mut durations = Vec::with_capacity(planned.len());
    let answer = client.simple_query_raw(&m.text).await;
    let (done, error) = m
        .read(replies(answer), &mut None, |_, d| durations.push(d))
        .await;
    if let Some(e) = error {
        let _ = client.simple_query("ROLLBACK").await;
        let f = m.failed(planned, done, e);
        // Every file ran and the COMMIT failed (a deferred constraint, a
        // constraint trigger): the error does not say which file.
        let at_commit = opts.mode == Mode::Grouped && f.index >= planned.len();
        let mut failure = failure_of(
            planned[f.index.min(planned.len() - 1)],
            &f.error,
            f.at,
            1,
            Vec::new(),
            Vec::new(),
        );
        if at_commit && !failure.connection_lost {
            let (first, last) = (planned[0], planned[planned.len() - 1]);
            failure.message.push_str(&format!(
                " (at the COMMIT of the --grouped transaction of V{}…V{}: the error does not say which file)",
                first.version, last.version
            ));
            failure.fix = "nothing of the group was committed: find the file whose rows break the constraint (without --grouped each migration commits on its own and the first that fails is named), fix it and re-run".to_string();
        }
        out.ended = Ended::Failed(failure);
        return Ok(());
    }
    for (f, duration) in planned.iter().zip(durations) {
        let step = Step {
            version: f.version,
            name: f.name.clone(),
            duration,
            transaction: true,
            attempts: 1,
        };
        events(Event::Applied(&step));
        out.applied.push(step);
    }
    Ok(())
}

/// Each migration in its own transaction.
pub(super) struct Each<'a> {
    pub client: &'a Client,
    pub monitor: &'a dyn Fn() -> futures_util::future::LocalBoxFuture<'static, Option<Client>>,
    pub opts: &'a Options,
    /// The migrating session's backend (whose blockers are watched).
    pub pid: i32,
    /// Create the history table first.
    pub create: Option<String>,
    /// The safety analysis' query, to send ahead of the first batch.
    pub ahead: Option<&'a Ahead<'a>>,
    /// Which planned files share messages (lint::quick_files).
    pub quick: &'a [bool],
}

impl Each<'_> {
    /// Runs of transactional files go as one pipelined batch; a
    /// no-transaction file runs statement by statement between them. A lock
    /// timeout is retried (with a second session watching who blocks).
    pub(super) async fn run(
        mut self,
        planned: &[&MigrationFile],
        events: &mut dyn FnMut(Event),
        out: &mut Outcome,
    ) -> Result<(), RunError> {
        let mut blockers = Blockers::default();
        let mut i = 0;
        while i < planned.len() && out.failure().is_none() {
            if planned[i].no_transaction {
                i += self.without_transaction(planned[i], events, out).await?;
            } else {
                let end = (i..planned.len())
                    .find(|&j| planned[j].no_transaction)
                    .unwrap_or(planned.len());
                i += self
                    .batch(planned, i..end, &mut blockers, events, out)
                    .await;
            }
        }
        if let Some(w) = blockers.watcher {
            w.abort();
        }
        Ok(())
    }

    /// A no-transaction file, statement by statement: 1 if it was applied.
    async fn without_transaction(
        &mut self,
        f: &MigrationFile,
        events: &mut dyn FnMut(Event),
        out: &mut Outcome,
    ) -> Result<usize, RunError> {
        if let Some(c) = self.create.take() {
            self.client
                .simple_query(&c)
                .await
                .map_err(q("creating the history table"))?;
        }
        let resume = self
            .opts
            .resume_from
            .filter(|(v, _)| *v == f.version)
            .map(|(_, k)| k);
        match no_transaction::run(
            self.client,
            &self.opts.table,
            f,
            resume,
            &session_setup(self.opts),
            &history::backend_guard_sql(self.pid),
            events,
        )
        .await?
        {
            Ok(step) => {
                events(Event::Applied(&step));
                out.applied.push(step);
                Ok(1)
            }
            Err(failure) => {
                out.ended = Ended::Failed(failure);
                Ok(0)
            }
        }
    }

    /// The transactional files `range` as one pipeline, again from the
    /// first not applied after a lock timeout (up to `lock_retries` times):
    /// how many were applied.
    async fn batch(
        &mut self,
        planned: &[&MigrationFile],
        range: std::ops::Range<usize>,
        blockers: &mut Blockers,
        events: &mut dyn FnMut(Event),
        out: &mut Outcome,
    ) -> usize {
        let (client, opts) = (self.client, self.opts);
        let (mut i, end) = (range.start, range.end);
        let mut attempt = 1;
        let mut backoff =
            crate::backoff::Backoff::new(Duration::from_millis(500), Duration::from_secs(8));
        loop {
            let (steps, failed) = pipeline(
                client,
                Batch {
                    table: &opts.table,
                    files: &planned[i..end],
                    quick: &self.quick[i..end],
                    attempt,
                },
                Preamble {
                    // In the first migration's transaction: made
                    // once something commits.
                    create: self.create.clone(),
                    // A name of its own for each batch and attempt: a
                    // statement prepared by a failed attempt may exist.
                    insert: format!("neonops_history_{i}_{attempt}"),
                    review: if i == 0 && attempt == 1 {
                        self.ahead
                    } else {
                        None
                    },
                    setup: session_setup(opts),
                    guard: history::backend_guard_sql(self.pid),
                },
                events,
                &mut out.analysis,
            )
            .await;
            if !steps.is_empty() {
                self.create = None;
            }
            let first = i;
            i += steps.len();
            out.applied.extend(steps);
            let Some(Failed {
                index,
                error: e,
                at,
            }) = failed
            else {
                break;
            };
            let f = planned[first + index];
            // Leave no aborted transaction behind (a warning if there is none).
            let _ = client.simple_query("ROLLBACK").await;
            let lock_timeout = e.state() == Some(SqlState::LockNotAvailable);
            if lock_timeout && attempt <= opts.lock_retries {
                if blockers.watcher.is_none()
                    && let Some(m) = (self.monitor)().await
                {
                    blockers.watcher = Some(watch_blockers(m, self.pid, blockers.seen.clone()));
                }
                let pause = backoff.pause();
                events(Event::Retrying {
                    version: f.version,
                    attempt,
                    pause,
                });
                tokio::time::sleep(pause).await;
                attempt += 1;
                continue;
            }
            let seen = blockers.seen.lock().expect("not poisoned").clone();
            out.ended = Ended::Failed(failure_of(f, &e, at, attempt, seen, Vec::new()));
            break;
        }
        i - range.start
    }
}

/// The sessions seen blocking the migration, and the task that watches for
/// them (started at the first lock timeout).
#[derive(Default)]
struct Blockers {
    seen: Arc<Mutex<Vec<Backend>>>,
    watcher: Option<tokio::task::JoinHandle<()>>,
}

/// What travels ahead of a batch of migrations.
struct Preamble<'a> {
    /// Create the history table.
    create: Option<String>,
    /// The name the history INSERT is prepared under.
    insert: String,
    /// The safety analysis' query.
    review: Option<&'a Ahead<'a>>,
    /// The runner's session settings, set again after a migration that may
    /// have changed them.
    setup: String,
    /// Starts every message: fails unless it runs on the proven backend.
    guard: String,
}

/// A message holds up to this much SQL (a larger file goes alone).
const MESSAGE_BYTES: usize = 1 << 20;
/// The session setting naming the last migration a message committed: each
/// message after the first starts with a guard that fails unless it is the
/// previous message's last (a COMMIT that fails, a deferred constraint,
/// leaves no aborted transaction behind; a transaction that does not commit
/// takes the setting back).
const COMMITTED: &str = "neonops.committed";

/// The session setting naming the migration whose transaction a part
/// message belongs to: a part after the first runs only in that
/// transaction (never on its own, should the first part not have begun it).
const RUNNING: &str = "neonops.running";

/// Quick files (lint::quick_files) share messages; any other file has one
/// of its own, so that its line is printed as soon as it is done, and one
/// with several statements has one a statement (in its one transaction), so
/// that which statement runs is known while it runs.
fn messages(
    table: &Table,
    batch: &[&MigrationFile],
    quick: &[bool],
    mut create: Option<String>,
    insert: &str,
    setup: &str,
    guard: &str,
) -> Vec<Message> {
    let mut out = Vec::new();
    let mut k = 0;
    // The prepared INSERT exists until a migration may have deallocated it
    // (`DEALLOCATE ALL`, also from dynamic SQL): from that one on, the
    // batch's history rows are plain INSERTs.
    let mut prepared = true;
    while k < batch.len() {
        let mut m = Message::new(k);
        // Each message may be a transaction of its own to a pooler: it
        // runs only on the backend that holds the lock.
        m.push(guard);
        m.push(";\n");
        if let Some(c) = create.take() {
            m.push(&c);
            m.push(";\n");
        }
        if k == 0 {
            m.push(&prepare_insert_sql(
                table,
                insert,
                &Message::committing_returning(),
            ));
            m.push(";\n");
        }
        if k > 0 {
            // Fails (division by zero) unless the previous message committed.
            m.push(&format!(
                "SELECT 1 / (current_setting('{COMMITTED}') = '{}')::int;\n",
                batch[k - 1].version
            ));
        }
        m.push_mark(None);
        loop {
            let f = batch[k];
            m.push("BEGIN;\n");
            let parts = if quick[k] { Vec::new() } else { parts_of(f) };
            if parts.len() > 1 {
                m = push_parts(m, f, &parts, &mut out);
            } else {
                m.part = parts.into_iter().next().map(|(p, ..)| p);
                m.push_file(&f.sql);
            }
            m.push("\n;\n");
            let touches = Touches::of(&f.sql);
            m.push(&touches.restore(lock_key(table), setup));
            let last = match batch.get(k + 1) {
                None => true,
                Some(next) => {
                    !quick[k]
                        || !quick[k + 1]
                        || m.text.len() + 256 + next.sql.len() > MESSAGE_BYTES
                }
            };
            // Only the next message's guard reads the setting: the last
            // migration of a message sets it (PostgreSQL stops a message at
            // its first error, so no guard is needed inside one).
            if last {
                m.push(&format!("SET {COMMITTED} = '{}';\n", f.version));
            }
            prepared &= !touches.deallocates;
            m.push_insert_and_commit(&if prepared {
                execute_insert_sql(insert, f)
            } else {
                insert_sql(table, f) + &Message::committing_returning()
            });
            k += 1;
            if last {
                break;
            }
        }
        out.push(m);
    }
    out
}

/// A slow file's statements, as parts (its one statement for a file of one).
fn parts_of(f: &MigrationFile) -> Vec<(Part, usize, String)> {
    let Ok(statements) = crate::sql::parse(&f.sql) else {
        return Vec::new();
    };
    let n = statements.len();
    statements
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let offset = f.sql[..s.start].chars().count();
            (
                Part {
                    statement: i + 1,
                    statements: n,
                    head: s.head(),
                },
                offset,
                s.text,
            )
        })
        .collect()
}

/// Every statement but the last of a file in a message of its own (the
/// first in `m`, after its BEGIN); the message the last statement goes in
/// is returned, for the file's end (its history row and COMMIT).
fn push_parts(
    mut m: Message,
    f: &MigrationFile,
    parts: &[(Part, usize, String)],
    out: &mut Vec<Message>,
) -> Message {
    let k = m.files.end;
    m.push(&format!(
        "SELECT set_config('{RUNNING}', '{}', true);\n",
        f.version
    ));
    for (i, (part, offset, text)) in parts.iter().enumerate() {
        if i > 0 {
            let done = std::mem::replace(&mut m, Message::new(k));
            out.push(done);
            // Fails unless this is still the migration's transaction.
            m.push(&format!(
                "SELECT 1 / (current_setting('{RUNNING}', true) = '{}')::int;\n",
                f.version
            ));
        }
        m.part = Some(part.clone());
        m.push_part(text, *offset);
        if i + 1 < parts.len() {
            m.push(";\n");
            // A part is not a migration done: only the last one counts.
            m.files.end -= 1;
        }
    }
    m
}

/// Migrations in transactions, one after the other: an attempt at them.
struct Batch<'a> {
    table: &'a Table,
    files: &'a [&'a MigrationFile],
    /// Which ones share messages (lint::quick_files).
    quick: &'a [bool],
    /// 1, then 2… after lock timeouts.
    attempt: u32,
}

/// Send every message of the batch at once; read the results in order.
async fn pipeline(
    session: &dyn Channel,
    Batch {
        table,
        files: batch,
        quick,
        attempt,
    }: Batch<'_>,
    preamble: Preamble<'_>,
    events: &mut dyn FnMut(Event),
    analysis: &mut Option<crate::lint::Analysis>,
) -> (Vec<Step>, Option<Failed>) {
    let messages = messages(
        table,
        batch,
        quick,
        preamble.create,
        &preamble.insert,
        &preamble.setup,
        &preamble.guard,
    );
    debug!(
        migrations = batch.len(),
        messages = messages.len(),
        "pipelining"
    );
    // Each call queues its message and returns: all leave before any answer is read.
    let review_sql = preamble.review.map(|r| r.sql());
    let review = match (preamble.review, &review_sql) {
        (Some(r), Some(sql)) => Some((r, session.send(sql).await)),
        _ => None,
    };
    let mut sent = Vec::with_capacity(messages.len());
    for m in &messages {
        sent.push(session.send(&m.text).await);
    }
    // Answered before the first migration ran: shown before it.
    if let Some((review, answer)) = review {
        match row_sets(answer).await {
            Ok(facts) => {
                let a = review.finish(facts);
                if !a.findings.is_empty() {
                    events(Event::Review(&a));
                }
                *analysis = Some(a);
            }
            Err(e) => warn!("the safety analysis could not read the database's facts: {e}"),
        }
    }
    let mut steps = Vec::new();
    let mut failure: Option<Failed> = None;
    let mut clock = None;
    for (m, answer) in messages.iter().zip(sent) {
        if failure.is_none() {
            // The messages before it are answered: this one runs now.
            let first = batch[m.files.start];
            events(Event::Running(Running {
                version: first.version,
                name: &first.name,
                last: (m.files.len() > 1).then(|| batch[m.files.end - 1].version),
                part: m
                    .part
                    .as_ref()
                    .map(|p| (p.statement, p.statements, p.head.as_str())),
            }));
        }
        let (done, error) = m
            .read(answer, &mut clock, |k, duration| {
                if failure.is_some() {
                    return;
                }
                let f = batch[m.files.start + k];
                let step = Step {
                    version: f.version,
                    name: f.name.clone(),
                    duration,
                    transaction: true,
                    attempts: attempt,
                };
                events(Event::Applied(&step));
                steps.push(step);
            })
            .await;
        if let Some(e) = error {
            failure.get_or_insert_with(|| m.failed(batch, done, e));
        }
    }
    (steps, failure)
}

/// Poll, from a second connection, who blocks the migrating session.
fn watch_blockers(
    monitor: Client,
    pid: i32,
    seen: Arc<Mutex<Vec<Backend>>>,
) -> tokio::task::JoinHandle<()> {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM pg_stat_activity a WHERE a.pid = ANY(pg_blocking_pids({pid}))"
    );
    tokio::spawn(async move {
        loop {
            if let Ok(m) = monitor.simple_query(&sql).await {
                let s = sessions(&m);
                if !s.is_empty() {
                    *seen.lock().expect("not poisoned") = s;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::testing::file;

    fn table() -> Table {
        Table::new("refinery_schema_history").unwrap()
    }

    fn texts(files: &[MigrationFile], quick: &[bool]) -> Vec<Message> {
        let batch: Vec<&MigrationFile> = files.iter().collect();
        messages(
            &table(),
            &batch,
            quick,
            None,
            "ins",
            "SET x = 1",
            "SELECT guard",
        )
    }

    #[test]
    fn quick_files_share_a_message_and_each_later_message_is_guarded() {
        let files = [
            file(1, "a", "CREATE TABLE a (id int);"),
            file(2, "b", "CREATE TABLE b (id int);"),
            file(3, "slow", "UPDATE a SET id = 1;"),
            file(4, "c", "CREATE TABLE c (id int);"),
        ];
        let m = texts(&files, &[true, true, false, true]);
        let ranges: Vec<_> = m.iter().map(|m| m.files.clone()).collect();
        assert_eq!(ranges, [0..2, 2..3, 3..4]);
        // The history INSERT is prepared once, in the first message.
        assert!(m[0].text.contains("PREPARE ins("));
        assert!(!m[1].text.contains("PREPARE"));
        // Each migration in its own transaction, with its history row.
        assert_eq!(m[0].text.matches("BEGIN;").count(), 2);
        assert_eq!(m[0].text.matches("EXECUTE ins(").count(), 2);
        // A message after the first runs only if the one before committed
        // its last migration; only that last one sets the setting.
        assert!(!m[0].text.contains("current_setting('neonops.committed')"));
        assert!(m[0].text.contains("SET neonops.committed = '2'"));
        assert!(!m[0].text.contains("SET neonops.committed = '1'"));
        assert!(m[1].text.starts_with(
            "SELECT guard;\nSELECT 1 / (current_setting('neonops.committed') = '2')::int;"
        ));
        // Every message starts with the backend guard: a pooler that moved
        // the session between two messages stops the run there.
        assert!(m.iter().all(|m| m.text.starts_with("SELECT guard;\n")));
        assert!(
            m[2].text
                .contains("(current_setting('neonops.committed') = '3')")
        );
    }

    #[test]
    fn a_slow_file_of_several_statements_goes_a_statement_a_message_in_one_transaction() {
        let files = [
            file(1, "a", "CREATE TABLE a (id int);"),
            file(
                2,
                "fill",
                "INSERT INTO a SELECT 1;\nSELECT pg_sleep(0);\nUPDATE a SET id = 2;",
            ),
        ];
        let m = texts(&files, &[true, false]);
        assert_eq!(m.len(), 4);
        let parts: Vec<_> = m
            .iter()
            .map(|m| m.part.as_ref().map(|p| p.statement))
            .collect();
        assert_eq!(parts, [None, Some(1), Some(2), Some(3)]);
        // One BEGIN and one COMMIT for the three parts.
        assert_eq!(
            m[1..]
                .iter()
                .map(|m| m.text.matches("BEGIN;").count())
                .sum::<usize>(),
            1
        );
        assert_eq!(
            m[1..]
                .iter()
                .map(|m| m.text.matches("COMMIT;").count())
                .sum::<usize>(),
            1
        );
        assert!(
            m[1].text
                .contains("set_config('neonops.running', '2', true)")
        );
        // A part after the first runs only in that migration's transaction.
        for p in &m[2..] {
            assert!(
                p.text.starts_with(
                    "SELECT 1 / (current_setting('neonops.running', true) = '2')::int;"
                ),
                "{}",
                p.text
            );
        }
        // Only the last part completes the migration (its history row).
        assert_eq!(m[1].files.len() + m[2].files.len(), 0);
        assert_eq!(m[3].files, 1..2);
        assert!(m[3].text.contains("EXECUTE ins(2,"));
        assert!(m[3].text.contains("UPDATE a SET id = 2"));
    }

    #[test]
    fn what_a_migration_does_to_the_session_is_put_back_after_it() {
        let files = [
            file(1, "unlock", "SELECT pg_advisory_unlock_all();"),
            file(2, "reset", "RESET ALL;"),
            file(3, "dealloc", "DEALLOCATE ALL;"),
            file(4, "after", "CREATE TABLE x (id int);"),
        ];
        let m = texts(&files, &[false, false, false, true]);
        let key = lock_key(&table());
        assert!(m[0].text.contains(&format!("pg_try_advisory_lock({key})")));
        assert!(!m[0].text.contains("SET x = 1"));
        assert!(m[1].text.contains("SET x = 1"));
        // From a file that may have deallocated it on, the history row is a
        // plain INSERT.
        assert!(m[1].text.contains("EXECUTE ins("));
        assert!(!m[2].text.contains("EXECUTE ins("));
        assert!(
            m[3].text
                .contains("INSERT INTO \"refinery_schema_history\"")
        );
    }

    #[test]
    fn a_message_holds_at_most_a_mebibyte_of_quick_files() {
        let big = format!("CREATE TABLE t (id int);\n-- {}\n", "x".repeat(600 * 1024));
        let files = [
            file(1, "a", &big),
            file(2, "b", &big),
            file(3, "c", "SELECT 1;"),
        ];
        let m = texts(&files, &[true, true, true]);
        let ranges: Vec<_> = m.iter().map(|m| m.files.clone()).collect();
        assert_eq!(ranges, [0..1, 1..3]);
    }

    use crate::connect::SqlState;
    use crate::migrate::session::scripted::{Scripted, complete, refused, row};
    use crate::migrate::session::{Reply, ServerError};

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// What a server answers to one migration of a message: its statements
    /// done, its history row returned at `clock`, then the COMMIT.
    fn done(version: &str, clock: &str) -> Vec<Result<Reply, ServerError>> {
        vec![
            complete(),
            complete(),
            row("neonops_committing", &[Some(version), Some(clock)]),
            complete(),
            complete(),
        ]
    }

    fn start(clock: &str) -> Vec<Result<Reply, ServerError>> {
        vec![row("neonops_done", &[None, Some(clock)]), complete()]
    }

    fn run(
        session: &Scripted,
        files: &[&MigrationFile],
        quick: &[bool],
    ) -> (Vec<Step>, Option<Failed>, Vec<String>) {
        let table = table();
        let mut seen = Vec::new();
        let (steps, failed) = block_on(pipeline(
            session,
            Batch {
                table: &table,
                files,
                quick,
                attempt: 1,
            },
            Preamble {
                create: None,
                insert: "ins".into(),
                review: None,
                setup: "SET x = 1".into(),
                guard: "SELECT guard".into(),
            },
            &mut |e| match e {
                Event::Running(r) => seen.push(format!("running V{}", r.version)),
                Event::Applied(s) => seen.push(format!("applied V{} {:?}", s.version, s.duration)),
                _ => {}
            },
            &mut None,
        ));
        (steps, failed, seen)
    }

    #[test]
    fn a_pipeline_is_sent_at_once_and_read_in_order_with_each_migrations_time() {
        let files = [
            file(1, "a", "CREATE TABLE a (id int);"),
            file(2, "b", "CREATE TABLE b (id int);"),
            file(3, "slow", "UPDATE a SET id = 1;"),
        ];
        let batch: Vec<&MigrationFile> = files.iter().collect();
        let first = [
            vec![complete()],
            start("10.0"),
            done("1", "10.25"),
            done("2", "10.5"),
        ]
        .concat();
        let second = [
            vec![row("?column?", &[Some("1")]), complete()],
            start("11.0"),
            done("3", "12.0"),
        ]
        .concat();
        let session = Scripted::new(vec![first, second]);
        let (steps, failed, seen) = run(&session, &batch, &[true, true, false]);
        assert!(failed.is_none());
        assert_eq!(steps.len(), 3);
        assert_eq!(
            session.sent.borrow().len(),
            2,
            "two messages, sent together"
        );
        assert_eq!(
            seen,
            [
                "running V1",
                "applied V1 250ms",
                "applied V2 250ms",
                "running V3",
                "applied V3 1s"
            ]
        );
    }

    #[test]
    fn a_failure_stops_the_pipeline_at_its_migration_and_later_answers_are_not_taken_for_success() {
        let files = [
            file(1, "a", "CREATE TABLE a (id int);"),
            file(2, "slow", "UPDATE a SET id = 1;"),
            file(3, "c", "CREATE TABLE c (id int);"),
        ];
        let batch: Vec<&MigrationFile> = files.iter().collect();
        let first = [vec![complete()], start("1.0"), done("1", "1.5")].concat();
        let lock = refused(
            SqlState::LockNotAvailable,
            "canceling statement due to lock timeout",
            None,
        );
        let second = [
            vec![row("?column?", &[Some("1")]), complete()],
            start("2.0"),
            vec![complete(), Err(lock)],
        ]
        .concat();
        // The session rejects the guarded message after it (its guard fails).
        let third = vec![Err(refused(
            SqlState::InternalError,
            "current transaction is aborted",
            None,
        ))];
        let session = Scripted::new(vec![first, second, third]);
        let (steps, failed, seen) = run(&session, &batch, &[true, false, true]);
        assert_eq!(steps.len(), 1);
        let f = failed.expect("a failure");
        assert_eq!(f.index, 1, "V2 failed");
        assert_eq!(f.error.state(), Some(SqlState::LockNotAvailable));
        assert_eq!(seen, ["running V1", "applied V1 500ms", "running V2"]);
    }
}
