//! `unlock`: end the idle session that holds the migration lock (a run
//! killed with kill -9 through a pooler, a stranded session), after
//! confirmation. Never an active one: a migration may be running in it.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use super::{connect_direct, direct_endpoint};
use crate::cli::GlobalArgs;
use crate::exit::{Exit, Failure, usage};
use crate::migrate::Table;
use crate::migrate::run::{Backend, lock_holder, lock_key};
use crate::settings::Settings;

#[derive(Serialize)]
struct UnlockReport<'a> {
    ok: bool,
    database: String,
    /// Who held the lock (None: nobody).
    holder: Option<&'a Backend>,
    /// The holder was ended, and the lock is free.
    ended: bool,
}

pub async fn unlock(g: &GlobalArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let direct = direct_endpoint(&settings)?;
    let table = Table::new(&settings.config.migrations.table).map_err(usage)?;
    let key = lock_key(&table);
    let client = connect_direct(&settings, &direct).await?;
    let database = direct.value.redacted();
    let Some(holder) = lock_holder(&client, key).await else {
        settings.printer.report(
            &UnlockReport {
                ok: true,
                database,
                holder: None,
                ended: false,
            },
            || "the migration lock is free: nothing to do".into(),
        );
        return Ok(Exit::Success);
    };
    if !holder.idle() {
        return Err(Failure(format!(
            "the migration lock is held by {holder}, which is {} (a migration may be running): neonops never ends an active holder; wait for it, or end it yourself once you know it is stuck (SELECT pg_terminate_backend({}))",
            holder.state, holder.pid
        ))
        .into());
    }
    if !settings.yes {
        let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if !terminal || settings.protected {
            return Err(usage(format!(
                "the migration lock is held by {holder}, idle: pass --yes to end that session{}",
                if settings.protected {
                    " (required for a protected environment)"
                } else {
                    " (there is no terminal to confirm on)"
                }
            )));
        }
        let yes = dialoguer::Confirm::new()
            .with_prompt(format!(
                "end the idle session that holds the migration lock: {holder}?"
            ))
            .default(false)
            .interact()
            .context("asking for confirmation")?;
        if !yes {
            settings.printer.note("not ended");
            return Ok(Exit::Failure);
        }
    }
    let ended = end(&client, key, &holder).await?;
    settings.printer.report(
        &UnlockReport {
            ok: true,
            database,
            holder: Some(&holder),
            ended,
        },
        || {
            format!(
                "ended pid {} (application_name \"{}\", client {}); the migration lock is free",
                holder.pid, holder.application_name, holder.client
            )
        },
    );
    Ok(Exit::Success)
}

/// Terminate the holder if it is still the idle holder, and wait (up to
/// 5 s) until the lock is free.
async fn end(client: &tokio_postgres::Client, key: i64, holder: &Backend) -> Result<bool> {
    // Only if it is still idle and still holds the lock (no race with a
    // holder that started to work since it was shown).
    let sql = format!(
        "SELECT pg_terminate_backend(a.pid)::text FROM pg_stat_activity a WHERE a.pid = {} AND a.state = 'idle' AND EXISTS ({})",
        holder.pid,
        crate::migrate::history::lock_held_by_sql(key, holder.pid)
    );
    let m = client
        .simple_query(&sql)
        .await
        .context("ending the holder (pg_terminate_backend)")?;
    if crate::rows::text(&m).is_empty() {
        return Err(Failure(format!(
            "pid {} is no longer the idle holder of the migration lock: nothing ended; run `neonops unlock` again to see who holds it now",
            holder.pid
        ))
        .into());
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match lock_holder(client, key).await {
            None => return Ok(true),
            Some(h) if h.pid != holder.pid => {
                return Err(Failure(format!(
                    "pid {} was ended, and another session took the migration lock since: {h}",
                    holder.pid
                ))
                .into());
            }
            Some(_) if Instant::now() >= deadline => {
                return Err(Failure(format!(
                    "pid {} was told to end but still holds the migration lock after 5 s",
                    holder.pid
                ))
                .into());
            }
            Some(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}
