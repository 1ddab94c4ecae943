//! Scratch databases: created fresh for one run with `CREATE DATABASE`
//! (in the local sandbox, or on the server of `--scratch-url`), dropped
//! when the run is done, on error too; the commands that use one catch
//! SIGINT and SIGTERM so that a stopped run drops it as well.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use anyhow::{Context as _, Result, anyhow};
use tokio_postgres::Client;

use crate::connect::ConnectOptions;
use crate::connect::{self, quote_ident};
use crate::endpoint::{ConnectSpec, DatabaseUrl, PgEnv};
use crate::error::usage;
use crate::target::Target;

/// Where scratch databases are made.
pub enum Server {
    /// A local server (the sandbox): its admin role creates, its role owns.
    Local(Box<Local>),
    /// A server named by a URL whose role has CREATEDB.
    Url(DatabaseUrl),
}

/// A local server for scratch databases, as the sandbox describes itself.
#[derive(Debug, Clone)]
pub struct Local {
    /// How the report names it ("the local sandbox (host)").
    pub name: String,
    /// The admin role's URL (its database is replaced).
    pub admin: DatabaseUrl,
    /// The owner role's URL (its database is replaced).
    pub owner: DatabaseUrl,
    /// The owner role's name, for `CREATE DATABASE … OWNER`.
    pub owner_role: String,
    /// Where the passwords are (`PGPASSFILE`).
    pub pg_env: PgEnv,
    /// How its names resolve and what a connection may take.
    pub options: ConnectOptions,
}

impl Local {
    async fn connect(&self, url: &DatabaseUrl, database: &str) -> Result<Client> {
        let spec = ConnectSpec::resolve(&url.with_database(database), &self.pg_env)?;
        Ok(connect::connect(&spec, &self.options).await?.client)
    }
}

/// One scratch database; [`Scratch::drop_now`] drops it.
pub struct Scratch {
    admin: Client,
    pub name: String,
    server: ServerRef,
    dropped: AtomicBool,
}

enum ServerRef {
    Local(Box<Local>),
    Url(DatabaseUrl),
}

static COUNT: AtomicU32 = AtomicU32::new(0);

impl Server {
    /// `--scratch-url`'s server (`raw`). Refuses the server of a protected
    /// environment, and a pooler.
    pub fn for_url(target: &Target, raw: &str) -> Result<Server> {
        let url = DatabaseUrl::parse(raw).context("--scratch-url")?;
        let url = if url.kind(target.poolers()).is_pooled() {
            url.to_direct(target.poolers()).map_err(|e| {
                usage(format!(
                    "--scratch-url points at a pooler, and its direct endpoint is not known ({e}): CREATE DATABASE needs the server itself; give its direct URL"
                ))
            })?
        } else {
            url
        };
        if target.protected
            && let Ok(eps) = target.endpoints()
        {
            let host = |u: &DatabaseUrl| u.hosts().first().map(|h| h.name.clone());
            let theirs = eps.pooled.iter().chain(eps.direct.iter());
            if theirs
                .map(|e| {
                    e.value
                        .to_direct(target.poolers())
                        .unwrap_or(e.value.clone())
                })
                .any(|e| host(&e) == host(&url))
            {
                return Err(usage(
                    "--scratch-url names the server of a protected environment: scratch databases are made elsewhere (a Neon branch, or the local sandbox)",
                ));
            }
        }
        Ok(Server::Url(url))
    }

    /// What it is, for the report (no password).
    pub fn describe(&self) -> String {
        match self {
            Server::Local(l) => l.name.clone(),
            Server::Url(u) => u.redacted(),
        }
    }

    /// A fresh, empty database.
    pub async fn create(&self, target: &Target) -> Result<Scratch> {
        let name = format!(
            "neonops_scratch_{}_{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let (admin, owner, server) = match self {
            Server::Local(l) => (
                l.connect(&l.admin, "postgres").await?,
                format!(" OWNER {}", quote_ident(&l.owner_role)),
                ServerRef::Local(l.clone()),
            ),
            Server::Url(u) => (
                connect_url(target, u)
                    .await
                    .context("connecting to the scratch server (--scratch-url)")?,
                String::new(),
                ServerRef::Url(u.clone()),
            ),
        };
        admin
            .batch_execute(&format!("CREATE DATABASE {name}{owner}"))
            .await
            .map_err(|e| {
                anyhow::Error::new(crate::connect::ServerError::from(&e)).context(format!(
                    "creating a scratch database on {} (the role needs CREATEDB)",
                    self.describe()
                ))
            })?;
        tracing::info!(
            "created the scratch database {name} on {} (dropped when done)",
            self.describe()
        );
        Ok(Scratch {
            admin,
            name,
            server,
            dropped: AtomicBool::new(false),
        })
    }
}

async fn connect_url(target: &Target, url: &DatabaseUrl) -> Result<Client> {
    let spec = ConnectSpec::resolve(url, &target.pg_env)?;
    // The replay is session work: proven a session of its own.
    let (c, _) = connect::proof::connect_proven(&spec, &target.connect_options(url)).await?;
    Ok(c.client)
}

impl Scratch {
    /// A session on it.
    pub async fn connect(&self, target: &Target) -> Result<Client> {
        match &self.server {
            ServerRef::Local(l) => l.connect(&l.owner, &self.name).await,
            ServerRef::Url(u) => connect_url(target, &u.with_database(&self.name)).await,
        }
        .with_context(|| format!("connecting to the scratch database {}", self.name))
    }

    /// Replay `files` on it and read what they built (`own`: tables left
    /// out). A file that does not replay is a [`ReplayError`] in the chain.
    ///
    /// [`ReplayError`]: super::replay::ReplayError
    pub async fn build(
        &self,
        target: &Target,
        files: &[&crate::migrate::MigrationFile],
        own: &[String],
    ) -> Result<super::Schema> {
        let c = self.connect(target).await?;
        super::replay::replay(&c, files).await?;
        super::read_described(&c, own, &format!("the scratch database {}", self.name)).await
    }

    /// Drop it (its sessions with it).
    pub async fn drop_now(&self) -> Result<()> {
        self.dropped.store(true, Ordering::Relaxed);
        self.admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await
            .with_context(|| format!("dropping the scratch database {}", self.name))?;
        tracing::info!("dropped the scratch database {}", self.name);
        Ok(())
    }
}

/// Run `work` unless SIGINT or SIGTERM comes first; the scratch databases
/// are dropped either way.
pub async fn guarded<T>(scratches: &[Scratch], work: impl Future<Output = Result<T>>) -> Result<T> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt()).context("catching SIGINT")?;
    let mut term = signal(SignalKind::terminate()).context("catching SIGTERM")?;
    let outcome = tokio::select! {
        r = work => r,
        _ = int.recv() => Err(anyhow!("interrupted by SIGINT")),
        _ = term.recv() => Err(anyhow!("interrupted by SIGTERM")),
    };
    let mut left = Vec::new();
    for s in scratches {
        if let Err(e) = s.drop_now().await {
            tracing::warn!("{e:#}");
            left.push(s.name.clone());
        }
    }
    match (outcome, left.is_empty()) {
        (r, true) => r,
        (Ok(v), false) => {
            tracing::warn!("scratch database(s) left behind: {}", left.join(", "));
            Ok(v)
        }
        (Err(e), false) => Err(e.context(format!(
            "scratch database(s) NOT dropped: {} (DROP DATABASE … WITH (FORCE))",
            left.join(", ")
        ))),
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.dropped.load(Ordering::Relaxed) {
            tracing::warn!(
                "the scratch database {} was not dropped: drop it with DROP DATABASE {} WITH (FORCE)",
                self.name,
                self.name
            );
        }
    }
}
