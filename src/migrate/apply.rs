//! Applying the planned migrations: all in one transaction (`--grouped`,
//! `--fake`), or each in its own, pipelined, with lock-timeout retries and
//! no-transaction files run statement by statement.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use tokio_postgres::{Client, SimpleQueryMessage};
use tracing::{debug, warn};

use super::review::Ahead;
use super::run::{
    Event, Mode, Options, Outcome, RunError, SESSION_COLUMNS, Session, Step, failure_of,
    insert_sql, q, sessions,
};
use super::{MigrationFile, Table, no_transaction};

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
    let mut msg = String::from("BEGIN;\n");
    if let Some(c) = create {
        msg.push_str(&c);
        msg.push_str(";\n");
    }
    for f in planned {
        if opts.mode == Mode::Grouped {
            msg.push_str(&f.sql);
            msg.push_str("\n;\n");
        }
        msg.push_str(&insert_sql(&opts.table, f));
        msg.push_str(";\n");
    }
    msg.push_str("COMMIT;");
    let t = Instant::now();
    if let Err(e) = client.simple_query(&msg).await {
        let _ = client.simple_query("ROLLBACK").await;
        out.failure = Some(failure_of(planned[0], &e, None, 1, Vec::new(), Vec::new()));
        return Ok(());
    }
    let d = t.elapsed() / planned.len() as u32;
    for f in planned {
        let step = Step {
            version: f.version,
            name: f.name.clone(),
            duration: d,
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
        let (client, opts) = (self.client, self.opts);
        let blockers: Arc<Mutex<Vec<Session>>> = Arc::default();
        let mut watcher: Option<tokio::task::JoinHandle<()>> = None;
        let mut i = 0;
        while i < planned.len() {
            if planned[i].no_transaction {
                if let Some(c) = self.create.take() {
                    client
                        .simple_query(&c)
                        .await
                        .map_err(q("creating the history table"))?;
                }
                let resume = opts
                    .resume_from
                    .filter(|(v, _)| *v == planned[i].version)
                    .map(|(_, k)| k);
                match no_transaction::run(client, &opts.table, planned[i], resume, events).await? {
                    Ok(step) => {
                        events(Event::Applied(&step));
                        out.applied.push(step);
                        i += 1;
                        continue;
                    }
                    Err(f) => {
                        out.failure = Some(f);
                        break;
                    }
                }
            }
            let end = (i..planned.len())
                .find(|&j| planned[j].no_transaction)
                .unwrap_or(planned.len());
            let mut attempt = 1;
            loop {
                let (steps, failed) = pipeline(
                    client,
                    &opts.table,
                    Batch {
                        files: &planned[i..end],
                        quick: &self.quick[i..end],
                    },
                    Preamble {
                        // In the first migration's transaction: made
                        // once something commits.
                        create: self.create.clone(),
                        review: if i == 0 && attempt == 1 {
                            self.ahead
                        } else {
                            None
                        },
                    },
                    attempt,
                    events,
                    &mut out.analysis,
                )
                .await;
                let f = failed.as_ref().map(|x| planned[i + x.index]);
                if !steps.is_empty() {
                    self.create = None;
                }
                i += steps.len();
                out.applied.extend(steps);
                let (Some(Failed { error: e, at, .. }), Some(f)) = (failed, f) else {
                    break;
                };
                // Leave no aborted transaction behind (a warning if there is none).
                let _ = client.simple_query("ROLLBACK").await;
                let lock_timeout = e.code().map(|c| c.code()) == Some("55P03");
                if lock_timeout && attempt <= opts.lock_retries {
                    if watcher.is_none()
                        && let Some(m) = (self.monitor)().await
                    {
                        watcher = Some(watch_blockers(m, self.pid, blockers.clone()));
                    }
                    let pause = Duration::from_millis(500 * 2u64.pow(attempt - 1))
                        .mul_f64(0.75 + fastrand::f64() / 2.0);
                    events(Event::Retrying {
                        version: f.version,
                        attempt,
                        pause,
                    });
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                    continue;
                }
                let seen = blockers.lock().expect("not poisoned").clone();
                out.failure = Some(failure_of(f, &e, at, attempt, seen, Vec::new()));
                break;
            }
            if out.failure.is_some() {
                break;
            }
        }
        if let Some(w) = watcher {
            w.abort();
        }
        Ok(())
    }
}

/// What travels ahead of a batch of migrations.
struct Preamble<'a> {
    /// Create the history table.
    create: Option<String>,
    /// The safety analysis' query.
    review: Option<&'a Ahead<'a>>,
}

/// The first column of the row each migration's part of a message ends
/// with once its transaction has committed (its version, NULL at the start
/// of a message), the second the server's clock: the server sends a
/// message's results when the message is over, so durations are measured
/// there.
const MARK: &str = "neonops_committed";
/// A message holds up to this much SQL (a larger file goes alone).
const MESSAGE_BYTES: usize = 1 << 20;
/// The session setting naming the last migration a message committed: each
/// message after the first starts with a guard that fails unless it is the
/// previous message's last (a COMMIT that fails, a deferred constraint,
/// leaves no aborted transaction behind; a transaction that does not commit
/// takes the setting back).
const COMMITTED: &str = "neonops.committed";

/// Consecutive migrations of a batch in one simple-query message. The
/// server stops at a message's first error, and each migration is its own
/// transaction (`BEGIN; <sql>; <history row>; COMMIT`).
struct Message {
    text: String,
    /// Which of the batch's migrations.
    files: std::ops::Range<usize>,
    /// Where each one's SQL is in the text, in characters counted from 1
    /// (as the server gives an error's position).
    spans: Vec<std::ops::Range<usize>>,
}

/// Quick files (lint::quick_files) share messages; any other file has one
/// of its own, so that its line is printed as soon as it is done.
fn messages(
    table: &Table,
    batch: &[&MigrationFile],
    quick: &[bool],
    mut create: Option<String>,
) -> Vec<Message> {
    let mark = |v: &str| {
        format!("SELECT {v}::int4 AS {MARK}, extract(epoch FROM clock_timestamp())::text;\n")
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < batch.len() {
        let mut m = Message {
            text: String::new(),
            files: k..k,
            spans: Vec::new(),
        };
        let mut chars = 0;
        let mut push = |m: &mut Message, s: &str| {
            m.text.push_str(s);
            chars += s.chars().count();
            chars
        };
        if let Some(c) = create.take() {
            push(&mut m, &c);
            push(&mut m, ";\n");
        }
        if k > 0 {
            // Fails (division by zero) unless the previous message committed.
            push(
                &mut m,
                &format!(
                    "SELECT 1 / (current_setting('{COMMITTED}') = '{}')::int;\n",
                    batch[k - 1].version
                ),
            );
        }
        push(&mut m, &mark("NULL"));
        loop {
            let f = batch[k];
            let from = push(&mut m, "BEGIN;\n") + 1;
            let to = push(&mut m, &f.sql) + 1;
            m.spans.push(from..to);
            push(&mut m, "\n;\n");
            push(&mut m, &insert_sql(table, f));
            push(
                &mut m,
                &format!(";\nSET {COMMITTED} = '{}';\nCOMMIT;\n", f.version),
            );
            push(&mut m, &mark(&f.version.to_string()));
            k += 1;
            let full = m.text.len() + batch.get(k).map_or(0, |f| f.sql.len()) > MESSAGE_BYTES;
            if k == batch.len() || !quick[k - 1] || !quick[k] || full {
                break;
            }
        }
        m.files.end = k;
        out.push(m);
    }
    out
}

/// A migration of the batch failed.
struct Failed {
    /// Which one, in the batch.
    index: usize,
    error: tokio_postgres::Error,
    /// The error's line and column in the file, when the server gives one.
    at: Option<(usize, usize)>,
}

/// The migration an error is in, by its position when the server gives one
/// (a syntax error in a later file stops the message before it runs), else
/// the first not committed.
fn failed(
    m: &Message,
    batch: &[&MigrationFile],
    done: usize,
    error: tokio_postgres::Error,
) -> Failed {
    let located = match error.as_db_error().and_then(|d| d.position()) {
        Some(tokio_postgres::error::ErrorPosition::Original(p)) => {
            let p = *p as usize;
            m.spans.iter().position(|s| s.contains(&p)).map(|j| {
                let f = batch[m.files.start + j];
                let byte = f
                    .sql
                    .char_indices()
                    .nth(p - m.spans[j].start)
                    .map_or(f.sql.len(), |(b, _)| b);
                (m.files.start + j, crate::sql::line_column(&f.sql, byte))
            })
        }
        _ => None,
    };
    Failed {
        index: located.map_or(m.files.start + done, |(j, _)| j),
        at: located.map(|(_, at)| at),
        error,
    }
}

/// Send every message of the batch at once; read the results in order.
/// Migrations in transactions, one after the other.
struct Batch<'a> {
    files: &'a [&'a MigrationFile],
    /// Which ones share messages (lint::quick_files).
    quick: &'a [bool],
}

async fn pipeline(
    client: &Client,
    table: &Table,
    Batch {
        files: batch,
        quick,
    }: Batch<'_>,
    preamble: Preamble<'_>,
    attempt: u32,
    events: &mut dyn FnMut(Event),
    analysis: &mut Option<crate::lint::Analysis>,
) -> (Vec<Step>, Option<Failed>) {
    let messages = messages(table, batch, quick, preamble.create);
    debug!(
        migrations = batch.len(),
        messages = messages.len(),
        "pipelining"
    );
    // Each call queues its message and returns: all leave before any answer is read.
    let review = match preamble.review {
        Some(r) => Some((r, client.simple_query_raw(&r.sql()).await)),
        None => None,
    };
    let mut sent = Vec::with_capacity(messages.len());
    for m in &messages {
        sent.push(client.simple_query_raw(&m.text).await);
    }
    // Answered before the first migration ran: shown before it.
    if let Some((review, answer)) = review {
        match collect(answer).await {
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
    for (m, answer) in messages.iter().zip(sent) {
        let stream = match answer {
            Ok(s) => s,
            Err(e) => {
                failure.get_or_insert_with(|| failed(m, batch, 0, e));
                continue;
            }
        };
        let mut stream = std::pin::pin!(stream);
        let (mut clock, mut done) = (None::<f64>, 0);
        // Up to the message's first error: the server runs nothing after it
        // (and a lost connection answers every read with an error).
        while let Some(item) = stream.next().await {
            match item {
                Ok(SimpleQueryMessage::Row(r))
                    if r.columns().first().is_some_and(|c| c.name() == MARK) =>
                {
                    let now: Option<f64> = r.get(1).and_then(|t| t.parse().ok());
                    if r.get(0).is_some() && failure.is_none() {
                        let f = batch[m.files.start + done];
                        let step = Step {
                            version: f.version,
                            name: f.name.clone(),
                            duration: match (clock, now) {
                                (Some(a), Some(b)) if b >= a => Duration::from_secs_f64(b - a),
                                _ => Duration::ZERO,
                            },
                            transaction: true,
                            attempts: attempt,
                        };
                        events(Event::Applied(&step));
                        steps.push(step);
                        done += 1;
                    }
                    clock = now;
                }
                Ok(_) => {}
                Err(e) => {
                    failure.get_or_insert_with(|| failed(m, batch, done, e));
                    break;
                }
            }
        }
    }
    (steps, failure)
}

async fn collect(
    answer: Result<tokio_postgres::SimpleQueryStream, tokio_postgres::Error>,
) -> Result<Vec<SimpleQueryMessage>, tokio_postgres::Error> {
    answer?.try_collect().await
}

/// Poll, from a second connection, who blocks the migrating session.
fn watch_blockers(
    monitor: Client,
    pid: i32,
    seen: Arc<Mutex<Vec<Session>>>,
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
