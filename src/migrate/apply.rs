//! Applying the planned migrations: all in one transaction (`--grouped`,
//! `--fake`), or each in its own, pipelined, with lock-timeout retries and
//! no-transaction files run statement by statement.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use tokio_postgres::Client;
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
        out.failure = Some(failure_of(planned[0], &e, 1, Vec::new(), Vec::new()));
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
                let (steps, err) = pipeline(
                    client,
                    &opts.table,
                    &planned[i..end],
                    Preamble {
                        create: self.create.take(),
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
                i += steps.len();
                out.applied.extend(steps);
                let Some(e) = err else { break };
                // Leave no aborted transaction behind (a warning if there is none).
                let _ = client.simple_query("ROLLBACK").await;
                let f = planned[i];
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
                out.failure = Some(failure_of(f, &e, attempt, seen, Vec::new()));
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

enum Sent<'a> {
    Review(&'a Ahead<'a>),
    Create,
    Migration(usize),
}

/// Send every migration of the batch at once; read the results in order.
async fn pipeline(
    client: &Client,
    table: &Table,
    batch: &[&MigrationFile],
    preamble: Preamble<'_>,
    attempt: u32,
    events: &mut dyn FnMut(Event),
    analysis: &mut Option<crate::lint::Analysis>,
) -> (Vec<Step>, Option<tokio_postgres::Error>) {
    let mut messages: Vec<(Sent, String)> = Vec::with_capacity(batch.len() + 2);
    if let Some(r) = preamble.review {
        messages.push((Sent::Review(r), r.sql()));
    }
    if let Some(c) = preamble.create {
        messages.push((Sent::Create, c));
    }
    for (k, f) in batch.iter().enumerate() {
        let mut m = String::with_capacity(f.sql.len() + 256);
        m.push_str("BEGIN;\n");
        if k > 0 {
            // Fails (division by zero) unless the previous migration committed.
            m.push_str(&format!(
                "SELECT 1 / (SELECT count(*)::int FROM {} WHERE version = {});\n",
                table.quoted,
                batch[k - 1].version
            ));
        }
        m.push_str(&f.sql);
        m.push_str("\n;\n");
        m.push_str(&insert_sql(table, f));
        m.push_str(";\nCOMMIT;");
        messages.push((Sent::Migration(k), m));
    }
    debug!(migrations = batch.len(), "pipelining");
    let mut futures: FuturesOrdered<_> = messages
        .iter()
        .map(|(sent, m)| async move { (sent, client.simple_query(m).await) })
        .collect();
    let mut steps = Vec::new();
    let mut error = None;
    let mut last = Instant::now();
    while let Some((sent, r)) = futures.next().await {
        match (sent, r) {
            // Answered before the first migration ran: shown before it.
            (Sent::Review(review), Ok(facts)) => {
                let a = review.finish(facts);
                if !a.findings.is_empty() {
                    events(Event::Review(&a));
                }
                *analysis = Some(a);
                last = Instant::now();
            }
            (Sent::Review(_), Err(e)) => {
                warn!("the safety analysis could not read the database's facts: {e}");
            }
            (Sent::Create, Err(e)) => {
                error.get_or_insert(e);
            }
            (Sent::Create, Ok(_)) => {}
            (Sent::Migration(k), Ok(_)) if error.is_none() => {
                let now = Instant::now();
                let step = Step {
                    version: batch[*k].version,
                    name: batch[*k].name.clone(),
                    duration: now - last,
                    transaction: true,
                    attempts: attempt,
                };
                last = now;
                events(Event::Applied(&step));
                steps.push(step);
            }
            (Sent::Migration(_), Ok(_)) => {}
            (Sent::Migration(_), Err(e)) => {
                error.get_or_insert(e);
            }
        }
    }
    (steps, error)
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
