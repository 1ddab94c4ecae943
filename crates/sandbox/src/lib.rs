//! `neonops sandbox`: a local stack shaped like a Neon project.
//!
//! PostgreSQL 15 (TLS with a CA of its own, hostssl only, scram-sha-256,
//! Neon's max_connections for the compute size) listens on 127.0.0.3:P, and
//! PgBouncer in transaction mode (TLS to clients, Neon's pool settings) on
//! 127.0.0.2:P. They are reached by Neon-shaped names
//! (`ep-sandbox-…[-pooler].sandbox.aws.neon.tech`) pinned to those addresses
//! with `NEONOPS_RESOLVE`, so neonops derives the direct URL from the pooled
//! one and verifies both with `sslmode=verify-full` and SNI, exactly as on
//! Neon. The same names go into `/etc/hosts` when it can be written, so that
//! psql and the application's own driver take the printed URLs as they are.
//! No password is printed: it sits in a password file (`PGPASSFILE`).

pub mod api;
pub mod hosts;
mod process;
mod random;
mod start;

use std::fs;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use neonops_core::connect::{self, ConnectOptions, ResolveRule};
pub use neonops_core::doctor::limits::max_connections_for;
use neonops_core::endpoint::{ConnectSpec, DatabaseUrl, PgEnv};
pub use process::{down, is_running, restart_postgres};
pub use start::{Shape, up};

pub const POOLED_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
pub const DIRECT_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
const DOMAIN: &str = "sandbox.aws.neon.tech";
const DATABASE: &str = "neondb";
const ROLE: &str = "neondb_owner";
const ADMIN: &str = "cloud_admin";
/// Neon reserves these for its own superuser (connection-pooling docs).
pub const SUPERUSER_RESERVED: u32 = 7;

/// What `up` wrote down, for `env`, `status` and `down`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub dir: PathBuf,
    pub port: u16,
    pub endpoint_id: String,
    pub pooled_host: String,
    pub direct_host: String,
    pub role: String,
    pub admin_role: String,
    pub database: String,
    pub ca_file: PathBuf,
    pub passfile: PathBuf,
    pub compute_size: f64,
    pub max_connections: u32,
    pub superuser_reserved_connections: u32,
    pub default_pool_size: u32,
    pub max_client_conn: u32,
    pub query_wait_timeout: u32,
    pub server_user: String,
    /// PostgreSQL's Unix-socket directory (not part of Neon's shape: for
    /// local connections without TLS, as a CI service container offers).
    #[serde(default)]
    pub socket_dir: PathBuf,
    /// The hosts file that names the endpoints (`/etc/hosts`), when this
    /// user could write it: other clients then resolve the URLs as printed.
    #[serde(default)]
    pub hosts_file: Option<PathBuf>,
    /// The control-plane stand-in's port on 127.0.0.1 (its key is in
    /// `api.key`, never printed).
    #[serde(default)]
    pub api_port: Option<u16>,
}

impl State {
    /// The pooled URL, as the Neon console would hand it out (no password).
    pub fn pooled_url(&self) -> String {
        self.url(&self.pooled_host, &self.role)
    }

    pub fn direct_url(&self) -> String {
        self.url(&self.direct_host, &self.role)
    }

    pub fn admin_direct_url(&self) -> String {
        self.url(&self.direct_host, &self.admin_role)
    }

    fn url(&self, host: &str, role: &str) -> String {
        self.url_with(host, role, &self.database)
    }

    /// A URL for any host name, role and database of the sandbox.
    pub fn url_with(&self, host: &str, role: &str, database: &str) -> String {
        format!(
            "postgresql://{role}@{host}:{}/{database}?sslmode=verify-full&sslrootcert={}",
            self.port,
            self.ca_file.display()
        )
    }

    /// The `NEONOPS_RESOLVE` pins for both names.
    pub fn resolve(&self) -> String {
        format!(
            "{}:{}:{} {}:{}:{}",
            self.pooled_host, self.port, POOLED_ADDR, self.direct_host, self.port, DIRECT_ADDR
        )
    }

    pub fn resolve_rules(&self) -> Vec<ResolveRule> {
        neonops_core::connect::resolve::parse_list(&self.resolve()).expect("well-formed")
    }

    /// The variables to export, in order.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![
            ("DATABASE_URL", self.pooled_url()),
            ("NEONOPS_RESOLVE", self.resolve()),
            ("PGPASSFILE", self.passfile.display().to_string()),
            ("NEONOPS_SANDBOX_CA", self.ca_file.display().to_string()),
        ];
        if let Some(url) = self.api_url() {
            v.push(("NEON_API_HOST", url));
        }
        v
    }

    /// The control-plane stand-in's base URL, when it runs.
    pub fn api_url(&self) -> Option<String> {
        self.api_port
            .map(|p| format!("http://127.0.0.1:{p}/api/v2"))
    }
}

pub fn default_dir() -> PathBuf {
    let user = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| nix::unistd::getuid().to_string());
    std::env::temp_dir().join(format!("neonops-sandbox-{user}"))
}

/// The sandbox this process would use (`NEONOPS_SANDBOX_DIR`, else the
/// default directory) if it is running; its directory either way.
pub fn running() -> Result<(Option<State>, PathBuf)> {
    let dir = std::env::var_os("NEONOPS_SANDBOX_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(default_dir);
    Ok((load_state(&dir)?.filter(is_running), dir))
}

pub fn load_state(dir: &Path) -> Result<Option<State>> {
    let path = dir.join("state.json");
    match fs::read_to_string(&path) {
        Ok(t) => Ok(Some(
            serde_json::from_str(&t).with_context(|| format!("reading {}", path.display()))?,
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Where the endpoints' names resolve, for clients other than neonops.
pub fn names_note(state: &State) -> String {
    match &state.hosts_file {
        Some(f) => format!(
            "in {} (psql and other clients take the URLs as printed; `sandbox down` removes them)",
            f.display()
        ),
        None => format!(
            "not in {hosts}, which this user cannot write: only neonops (NEONOPS_RESOLVE) resolves them; for psql and other clients add them with: printf '%s\\n' '{}' '{}' | sudo tee -a {hosts}",
            hosts::lines(state)[0],
            hosts::lines(state)[1],
            hosts = hosts::HOSTS
        ),
    }
}

impl State {
    /// Connect with neonops' own connection layer (verify-full, the sandbox pins).
    pub async fn connect(&self, url: &str) -> Result<tokio_postgres::Client> {
        let url = DatabaseUrl::parse(url)?;
        let spec = ConnectSpec::resolve(&url, &self.pg_env())?;
        let opts = ConnectOptions {
            resolve: self.resolve_rules(),
            pooled: url.kind(&[]).is_pooled(),
            ..ConnectOptions::default()
        };
        Ok(connect::connect(&spec, &opts).await?.client)
    }

    /// What a client of the sandbox needs besides its URLs: its password file.
    fn pg_env(&self) -> PgEnv {
        PgEnv::empty().with_var("PGPASSFILE", &self.passfile.display().to_string())
    }

    /// This sandbox as a server for scratch databases.
    pub fn scratch_server(&self) -> Result<neonops_core::schema::scratch::Local> {
        Ok(neonops_core::schema::scratch::Local {
            name: format!("the local sandbox ({})", self.direct_host),
            admin: DatabaseUrl::parse(&self.admin_direct_url())?,
            owner: DatabaseUrl::parse(&self.direct_url())?,
            owner_role: self.role.clone(),
            pg_env: self.pg_env(),
            options: ConnectOptions {
                resolve: self.resolve_rules(),
                ..ConnectOptions::default()
            },
        })
    }

    pub async fn connect_admin(&self, database: &str) -> Result<tokio_postgres::Client> {
        self.connect(&self.url_with(&self.direct_host, &self.admin_role, database))
            .await
    }
}
