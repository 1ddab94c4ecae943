//! No-transaction migrations (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE … ADD
//! VALUE`…): one statement at a time, each in its own transaction, with a
//! progress record beside the history table so that a run that stops part
//! way (a kill, a lost connection, a failed statement) is resumed exactly.
//!
//! The record says which statement was last started and whether it
//! finished. A finished statement is never run again; one that failed is
//! run again (after the file is fixed); one that was running when the
//! runner stopped is decided from the database when its kind allows
//! (an index that exists and is valid, a dropped index, an enum label),
//! and otherwise neonops stops and says exactly what to check and which
//! `--resume-from` to run.

use std::time::{Duration, Instant};

use tokio_postgres::Client;
use tracing::info;

use super::history::{insert_sql, literal, lock_key, relock_sql};
use super::model::{
    Event, MigrationFailure, RunError, Running, Step, Touches, failure_of, invalid_indexes,
};
use super::{MigrationFile, Table, history};
use crate::connect::SqlState;

/// Where an interrupted run stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based: the statement last started.
    pub statement: usize,
    pub statements: usize,
    pub state: State,
    /// A hash of the statements before `statement` (the ones that completed).
    pub prefix: String,
    pub updated_on: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    Done,
    Failed,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Done => "done",
            State::Failed => "failed",
        }
    }
}

/// FNV-1a of the statements that completed, to notice a file whose
/// already-run part was edited.
fn prefix_hash(statements: &[String]) -> String {
    let h = crate::rows::fnv1a(statements.iter().map(|s| s.as_bytes()), true);
    format!("{h:016x}")
}

use crate::rows::text as rows;

/// The record of an interrupted run of `version`, if there is one.
pub async fn read(
    client: &Client,
    history: &Table,
    version: i32,
) -> Result<Option<Record>, RunError> {
    let t = history::progress_table(history);
    let sql = history::progress_read_sql(&t, version);
    let m = match client.simple_query(&sql).await {
        Ok(m) => m,
        Err(e) if SqlState::of_error(&e) == Some(SqlState::UndefinedTable) => return Ok(None),
        Err(e) => {
            return Err(RunError::Query {
                what: "reading the progress of no-transaction migrations",
                error: e,
            });
        }
    };
    Ok(rows(&m).into_iter().next().map(|r| Record {
        statement: r[0].parse().unwrap_or(1),
        statements: r[1].parse().unwrap_or(0),
        state: match r[2].as_str() {
            "done" => State::Done,
            "failed" => State::Failed,
            _ => State::Running,
        },
        prefix: r[3].clone(),
        updated_on: r[4].clone(),
    }))
}

/// "statement 1" or "statements 1 to n".
fn first(n: usize) -> String {
    if n == 1 {
        "statement 1".into()
    } else {
        format!("statements 1 to {n}")
    }
}

/// A statement's first words (after its comments), for messages.
fn head(statement: &str) -> String {
    let code = statement
        .lines()
        .skip_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ");
    let one: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        format!("{}…", one.chars().take(80).collect::<String>())
    } else {
        one
    }
}

/// A qualified name, quoted part by part (as the parser gives it: folded).
fn quoted(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| crate::connect::quote_ident(p))
        .collect::<Vec<_>>()
        .join(".")
}

/// The query that tells whether a statement that was running when its
/// runner stopped took effect, for the kinds where the database can tell
/// (read from PostgreSQL's own parse of it): a concurrent index build or
/// drop, an enum label added.
fn took_effect_sql(statement: &str) -> Option<String> {
    use pg_query::NodeEnum;
    let strings = |nodes: &[pg_query::protobuf::Node]| -> Vec<String> {
        nodes
            .iter()
            .filter_map(|n| match &n.node {
                Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                _ => None,
            })
            .collect()
    };
    let node = crate::sql::parse(statement)
        .ok()?
        .into_iter()
        .next()?
        .node?;
    Some(match node {
        NodeEnum::IndexStmt(i) if i.concurrent && !i.idxname.is_empty() => {
            let schema = i.relation.map(|r| r.schemaname).unwrap_or_default();
            format!(
                "SELECT coalesce((SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass({})), 'absent')",
                literal(&quoted(&[&schema, &i.idxname]))
            )
        }
        NodeEnum::DropStmt(d) if d.concurrent && d.objects.len() == 1 => {
            let name = match &d.objects[0].node {
                Some(NodeEnum::List(l)) => strings(&l.items),
                _ => return None,
            };
            let parts: Vec<&str> = name.iter().map(String::as_str).collect();
            format!(
                "SELECT CASE WHEN to_regclass({}) IS NULL THEN 'true' ELSE 'false' END",
                literal(&quoted(&parts))
            )
        }
        NodeEnum::AlterEnumStmt(a) if a.old_val.is_empty() && !a.new_val.is_empty() => {
            let name = strings(&a.type_name);
            let parts: Vec<&str> = name.iter().map(String::as_str).collect();
            format!(
                "SELECT (EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = to_regtype({}) AND enumlabel = {}))::text",
                literal(&quoted(&parts)),
                literal(&a.new_val)
            )
        }
        _ => return None,
    })
}

/// Whether a statement that was running when its runner stopped took
/// effect, when the database can tell: `Some(true)` it did, `Some(false)`
/// it did not, `None` nobody can say.
async fn took_effect(client: &Client, statement: &str) -> Option<bool> {
    let query = took_effect_sql(statement)?;
    let m = client.simple_query(&query).await.ok()?;
    match rows(&m).first()?.first()?.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        // An index that exists but is INVALID: the interrupted build left it;
        // the INVALID-index check has already asked for it to be dropped.
        "absent" => Some(false),
        _ => None,
    }
}

fn refuse(f: &MigrationFile, message: String, fix: String) -> MigrationFailure {
    MigrationFailure {
        version: f.version,
        name: f.name.clone(),
        file: f.path.display().to_string(),
        sqlstate: None,
        message,
        attempts: 0,
        blockers: Vec::new(),
        invalid_indexes: Vec::new(),
        fix,
        connection_lost: false,
    }
}

/// Where to start (0-based) after an interrupted run, or why not.
async fn start_after(
    client: &Client,
    t: &Table,
    f: &MigrationFile,
    statements: &[String],
    p: &Record,
    resume_from: Option<usize>,
) -> Result<usize, MigrationFailure> {
    let n = statements.len();
    let k = p.statement; // 1-based
    let completed = match p.state {
        State::Done => k,
        State::Running | State::Failed => k - 1,
    };
    if completed > n || prefix_hash(&statements[..completed.min(n)]) != p.prefix {
        return Err(refuse(
            f,
            format!(
                "this no-transaction migration stopped part way in an earlier run, after {completed} of its statements had run, and those statements have since been edited in the file"
            ),
            format!(
                "put statements 1 to {completed} back as they were when they ran (they cannot be run again), and change only what follows; or undo their effect by hand and delete the record: DELETE FROM {} WHERE version = {}",
                t.quoted, f.version
            ),
        ));
    }
    if let Some(r) = resume_from {
        let allowed = match p.state {
            State::Running => [k, k + 1],
            State::Done => [k + 1, k + 1],
            State::Failed => [k, k],
        };
        if !allowed.contains(&r) {
            return Err(refuse(
                f,
                format!(
                    "--resume-from {}:{r} does not fit the interrupted run: statement {k} was {} when it stopped",
                    f.version,
                    p.state.as_str()
                ),
                format!(
                    "use --resume-from {}:{} ({} statement {k} again) or leave --resume-from out",
                    f.version,
                    allowed[0],
                    if allowed[0] == k { "run" } else { "after" }
                ),
            ));
        }
        return Ok(r - 1);
    }
    match p.state {
        State::Done => Ok(k),
        State::Failed => Ok(k - 1),
        State::Running => match took_effect(client, &statements[k - 1]).await {
            Some(true) => Ok(k),
            Some(false) => Ok(k - 1),
            None => Err(refuse(
                f,
                format!(
                    "this no-transaction migration was interrupted while statement {k} of {n} was running (`{}`), on {}; {}, and whether statement {k} took effect cannot be told from the database",
                    head(&statements[k - 1]),
                    p.updated_on,
                    if k == 1 {
                        "nothing before it ran".to_string()
                    } else {
                        format!("{} completed", first(k - 1))
                    }
                ),
                format!(
                    "check whether statement {k} took effect, then run `neonops migrate --resume-from {v}:{}` if it did, or `neonops migrate --resume-from {v}:{k}` to run it again",
                    k + 1,
                    v = f.version
                ),
            )),
        },
    }
}

async fn record(
    client: &Client,
    t: &Table,
    f: &MigrationFile,
    statement: usize,
    statements: &[String],
    state: State,
) -> Result<(), RunError> {
    let completed = match state {
        State::Done => statement,
        _ => statement - 1,
    };
    let sql = history::progress_record_sql(
        t,
        f,
        statement,
        statements.len(),
        state.as_str(),
        &prefix_hash(&statements[..completed]),
    );
    client
        .simple_query(&sql)
        .await
        .map(|_| ())
        .map_err(|error| RunError::Query {
            what: "recording the progress of a no-transaction migration",
            error,
        })
}

/// Run a no-transaction migration, resuming an interrupted run of it.
/// `setup`: the runner's session settings, set again after a statement
/// that may have changed them.
pub async fn run(
    client: &Client,
    history: &Table,
    f: &MigrationFile,
    resume_from: Option<usize>,
    setup: &str,
    guard: &str,
    events: &mut dyn FnMut(Event),
) -> Result<Result<Step, MigrationFailure>, RunError> {
    let statements: Vec<String> = match crate::sql::parse(&f.sql) {
        Ok(s) => s.into_iter().map(|s| s.text).collect(),
        Err(e) => {
            return Ok(Err(refuse(
                f,
                format!(
                    "PostgreSQL's parser rejects it at line {}, column {}: {}",
                    e.line, e.column, e.message
                ),
                "fix the file; nothing of it ran".into(),
            )));
        }
    };
    let run = Statements {
        client,
        history,
        progress: history::progress_table(history),
        f,
        statements: &statements,
        setup,
        guard,
    };
    let start = match run.start(resume_from, events).await? {
        Ok(start) => start,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let started = Instant::now();
    for i in start..statements.len() {
        if let Some(fail) = run.statement(i, events).await? {
            return Ok(Err(fail));
        }
    }
    run.finish().await?;
    Ok(Ok(Step {
        version: f.version,
        name: f.name.clone(),
        duration: started.elapsed().max(Duration::from_micros(1)),
        transaction: false,
        attempts: 1,
    }))
}

/// A no-transaction migration's statements, and what they run with.
struct Statements<'a> {
    client: &'a Client,
    history: &'a Table,
    /// Its progress table.
    progress: Table,
    f: &'a MigrationFile,
    statements: &'a [String],
    setup: &'a str,
    guard: &'a str,
}

impl Statements<'_> {
    /// The statement to start at (after those an interrupted run did), the
    /// progress table made; or why the file does not run.
    async fn start(
        &self,
        resume_from: Option<usize>,
        events: &mut dyn FnMut(Event),
    ) -> Result<Result<usize, MigrationFailure>, RunError> {
        let (client, f, statements) = (self.client, self.f, self.statements);
        let before = invalid_indexes(client).await?;
        let progress = read(client, self.history, f.version).await?;
        if let Some(refusal) = refuse_over_invalid_indexes(f, before, progress.as_ref()) {
            return Ok(Err(refusal));
        }
        if resume_from.is_some() && progress.is_none() {
            return Ok(Err(refuse(
                f,
                "--resume-from names this migration, which has no interrupted run to resume"
                    .to_string(),
                "leave --resume-from out".into(),
            )));
        }
        let start = match &progress {
            None => 0,
            Some(p) => {
                match start_after(client, &self.progress, f, statements, p, resume_from).await {
                    Ok(s) => s,
                    Err(refusal) => return Ok(Err(refusal)),
                }
            }
        };
        if progress.is_some() {
            events(Event::Resuming {
                version: f.version,
                statement: start + 1,
                statements: statements.len(),
            });
        }
        client
            .simple_query(&history::progress_create_sql(&self.progress))
            .await
            .map_err(|error| RunError::Query {
                what: "creating the progress table",
                error,
            })?;
        Ok(Ok(start))
    }

    /// Statement `i`, a transaction of its own, recorded with it; its
    /// failure, if it failed.
    async fn statement(
        &self,
        i: usize,
        events: &mut dyn FnMut(Event),
    ) -> Result<Option<MigrationFailure>, RunError> {
        let (client, f, statements, t) = (self.client, self.f, self.statements, &self.progress);
        let stmt = &statements[i];
        let shown = head(stmt);
        info!(
            version = f.version,
            "running outside a transaction, statement {} of {}: {shown}",
            i + 1,
            statements.len(),
        );
        events(Event::Running(Running {
            version: f.version,
            name: &f.name,
            last: None,
            part: Some((i + 1, statements.len(), &shown)),
        }));
        // First, that it will run on the backend that holds the lock.
        if let Err(e) = client.simple_query(self.guard).await {
            let fail = failure_of(f, &(&e).into(), None, 1, Vec::new(), Vec::new());
            return Ok(Some(fail));
        }
        // The record and the statement leave together: the server runs both
        // or neither, even if this process dies between them.
        let (recorded, ran) = tokio::join!(
            record(client, t, f, i + 1, statements, State::Running),
            client.simple_query(stmt)
        );
        recorded?;
        if let Err(e) = ran {
            let invalid = invalid_indexes(client).await.unwrap_or_default();
            let _ = record(client, t, f, i + 1, statements, State::Failed).await;
            let fail = statement_failed(f, &(&e).into(), i, statements.len(), invalid);
            return Ok(Some(fail));
        }
        record(client, t, f, i + 1, statements, State::Done).await?;
        let touches = Touches::of(stmt);
        if touches.unlocks
            && let Err(e) = client
                .simple_query(&relock_sql(lock_key(self.history)))
                .await
        {
            let mut fail = failure_of(f, &(&e).into(), None, 1, Vec::new(), Vec::new());
            fail.fix = format!(
                "statement {} of {} released the migration lock and another runner took it: remove the unlock from the migration; the other runner carries on",
                i + 1,
                statements.len()
            );
            return Ok(Some(fail));
        }
        if touches.settings {
            client
                .simple_query(self.setup)
                .await
                .map_err(|error| RunError::Query {
                    what: "setting the session's timeouts again",
                    error,
                })?;
        }
        Ok(None)
    }

    /// The history row and the end of the progress record, together.
    async fn finish(&self) -> Result<(), RunError> {
        let finish = format!(
            "BEGIN; {}; DELETE FROM {} WHERE version = {}; COMMIT",
            insert_sql(self.history, self.f),
            self.progress.quoted,
            self.f.version
        );
        self.client
            .simple_query(&finish)
            .await
            .map_err(|error| RunError::Query {
                what: "recording a no-transaction migration",
                error,
            })?;
        Ok(())
    }
}

/// A no-transaction migration does not run while INVALID indexes (`before`)
/// are in the database: it could be recorded as applied while its own
/// index is unusable.
fn refuse_over_invalid_indexes(
    f: &MigrationFile,
    before: Vec<String>,
    progress: Option<&Record>,
) -> Option<MigrationFailure> {
    if before.is_empty() {
        return None;
    }
    let mut message = format!(
        "the database has INVALID indexes ({}), left by an interrupted CREATE INDEX CONCURRENTLY; running this no-transaction migration now could record it as applied while its index is unusable",
        before.join(", ")
    );
    if let Some(p) = progress {
        message.push_str(&format!(
            " (this migration stopped at statement {} of {} in an earlier run)",
            p.statement, p.statements
        ));
    }
    Some(MigrationFailure {
        fix: format!(
            "DROP INDEX CONCURRENTLY {}; then re-run (neonops continues where the interrupted run stopped)",
            before.join(", ")
        ),
        invalid_indexes: before,
        ..refuse(f, message, String::new())
    })
}

/// Statement `i` (from 0) of `count` failed: what stays applied, and how
/// to go on.
fn statement_failed(
    f: &MigrationFile,
    e: &super::session::ServerError,
    i: usize,
    count: usize,
    invalid: Vec<String>,
) -> MigrationFailure {
    let mut fail = failure_of(f, e, None, 1, Vec::new(), invalid);
    let k = i + 1;
    let kept = match i {
        0 => "nothing ran before it".to_string(),
        1 => "statement 1 ran before it and stays applied".to_string(),
        _ => format!("{} ran before it and stay applied", first(i)),
    };
    let what = if fail.connection_lost {
        "the connection was lost (a restart, a failover or the network): re-run".to_string()
    } else if !fail.invalid_indexes.is_empty() {
        format!(
            "drop the INVALID index it left (DROP INDEX CONCURRENTLY {}), then re-run",
            fail.invalid_indexes.join(", ")
        )
    } else if fail.sqlstate.as_deref().and_then(SqlState::of) == Some(SqlState::LockNotAvailable) {
        "another session holds a lock it needs (CREATE INDEX CONCURRENTLY also waits for older transactions, within lock_timeout): let it finish, then re-run".to_string()
    } else {
        format!("fix statement {k} (leave the earlier ones as they are) and re-run")
    };
    fail.fix = format!(
        "statement {k} of {count} failed; {kept}: {what}: neonops continues at statement {k}"
    );
    fail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_took_effect_is_asked_of_the_catalog_by_the_parsed_names() {
        let q = |s: &str| took_effect_sql(s).unwrap_or_default();
        assert!(
            q("-- note\nCREATE UNIQUE INDEX CONCURRENTLY \"Idx\" ON s.t (a);")
                .contains("to_regclass('\"s\".\"Idx\"')")
        );
        assert!(
            q("create index concurrently if not exists Orders_A on x (a)")
                .contains("to_regclass('\"orders_a\"')")
        );
        assert!(
            q("DROP INDEX CONCURRENTLY IF EXISTS app.i").contains("to_regclass('\"app\".\"i\"')")
        );
        let e = q("alter type mood add value 'it''s' after 'ok'");
        assert!(
            e.contains("to_regtype('\"mood\"')") && e.contains("enumlabel = 'it''s'"),
            "{e}"
        );
        assert_eq!(took_effect_sql("CREATE INDEX i ON t (a)"), None);
        assert_eq!(
            took_effect_sql("ALTER TYPE mood RENAME VALUE 'a' TO 'b'"),
            None
        );
    }

    #[test]
    fn the_prefix_hash_sees_an_edit() {
        let a = vec!["CREATE INDEX CONCURRENTLY i ON t (a)".to_string()];
        let b = vec!["CREATE INDEX CONCURRENTLY i ON t (b)".to_string()];
        assert_ne!(prefix_hash(&a), prefix_hash(&b));
        assert_eq!(prefix_hash(&a[..0]), prefix_hash(&b[..0]));
    }
}
