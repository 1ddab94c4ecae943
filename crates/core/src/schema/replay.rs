//! Replaying migration files on a scratch database, to read the schema
//! they build. Consecutive transactional files go in one message, each in
//! its own transaction as the runner applies it; a file marked
//! `-- neonops:no-transaction` goes a statement at a time. A failure names
//! its file.

use tokio_postgres::Client;

use crate::migrate::MigrationFile;

/// A file that did not replay.
#[derive(Debug, thiserror::Error)]
#[error("{file} does not apply on a fresh database: {message}")]
pub struct ReplayError {
    pub file: String,
    pub message: String,
    /// The server's error, when the server refused a statement (its
    /// SQLSTATE travels with it).
    #[source]
    pub server: Option<crate::connect::ServerError>,
}

/// Migrations that must build a schema on an empty database and do not
/// (input to fix: exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}: the migrations must apply on an empty database")]
pub struct NotReplayable(#[source] pub ReplayError);

/// How many transactional files go in one message.
const BATCH: usize = 100;

/// Apply `files`, in order, on `client` (a fresh database).
pub async fn replay(client: &Client, files: &[&MigrationFile]) -> Result<(), ReplayError> {
    let mut i = 0;
    while i < files.len() {
        if files[i].no_transaction {
            one_by_one(client, files[i]).await?;
            i += 1;
            continue;
        }
        let end = (i..files.len())
            .take(BATCH)
            .find(|&j| files[j].no_transaction)
            .unwrap_or((i + BATCH).min(files.len()));
        batch(client, &files[i..end]).await?;
        i = end;
    }
    Ok(())
}

fn failed(f: &MigrationFile, e: &tokio_postgres::Error) -> ReplayError {
    ReplayError {
        file: f.path.display().to_string(),
        message: crate::connect::error::db_message(e),
        server: Some(crate::connect::ServerError::from(e)),
    }
}

async fn one_by_one(client: &Client, f: &MigrationFile) -> Result<(), ReplayError> {
    let statements = crate::sql::parse(&f.sql).map_err(|e| ReplayError {
        file: f.path.display().to_string(),
        message: e.to_string(),
        server: None,
    })?;
    for s in statements {
        client
            .simple_query(&s.text)
            .await
            .map_err(|e| failed(f, &e))?;
    }
    Ok(())
}

/// Files in one message; in each file's transaction a session setting
/// records its version, committed with it, so that a failure is placed at
/// the file after the last one recorded (the first of the message when
/// none of them is).
async fn batch(client: &Client, files: &[&MigrationFile]) -> Result<(), ReplayError> {
    let mut text = String::new();
    for f in files {
        text.push_str(&format!(
            "BEGIN;\n{}\n;\nSELECT set_config('neonops.replayed', '{}', false);\nCOMMIT;\n",
            f.sql, f.version
        ));
    }
    let Err(e) = client.batch_execute(&text).await else {
        return Ok(());
    };
    let _ = client.batch_execute("ROLLBACK").await;
    let last = client
        .query_one("SELECT current_setting('neonops.replayed', true)", &[])
        .await
        .ok()
        .and_then(|r| r.get::<_, Option<String>>(0))
        .and_then(|v| v.parse::<i32>().ok());
    let at = match last {
        Some(v) => files
            .iter()
            .position(|f| f.version == v)
            .map_or(0, |p| p + 1),
        None => 0,
    };
    Err(failed(files[at.min(files.len() - 1)], &e))
}
