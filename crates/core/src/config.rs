//! `neonops.toml`: the file's schema, loading, and its errors. Which value
//! wins (flags > environment > file > defaults) is decided in `settings`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

pub use crate::endpoint::Pooler;

pub const DEFAULT_PATH: &str = "neonops.toml";
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";
pub const DEFAULT_HISTORY_TABLE: &str = "refinery_schema_history";

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub migrations: Migrations,
    #[serde(default)]
    pub timeouts: Timeouts,
    /// The environment used when `--env` is not given.
    pub default_env: Option<String>,
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    /// Poolers in front of non-Neon hosts.
    #[serde(default, rename = "pooler")]
    pub poolers: Vec<Pooler>,
    /// Application connection pools, checked by `doctor`'s pool budget.
    #[serde(default, rename = "pool")]
    pub pools: Vec<AppPool>,
    #[serde(default)]
    pub doctor: Doctor,
    #[serde(default)]
    pub lint: Lint,
    #[serde(default)]
    pub fleet: Fleet,
    #[serde(default)]
    pub neon: Neon,
}

/// `[neon]`: the project a rehearsal branches (found from the endpoint id
/// in the environment's URL when not given).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Neon {
    pub project_id: Option<String>,
}

/// `[fleet]`: the tenant databases `neonops fleet` works on.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fleet {
    /// A file of URLs, one per line (`$VAR` references, `#` comments).
    pub targets: Option<PathBuf>,
    /// Every database on the environment's server whose name matches this
    /// pattern (`*` any characters, `?` one).
    #[serde(rename = "match")]
    pub pattern: Option<String>,
    /// Databases worked on at once, at most (the connection budget may allow fewer).
    pub concurrency: Option<usize>,
    /// Connection slots left free on each server [default: 10% of max_connections, at least 3].
    pub headroom: Option<u32>,
}

/// `[lint]`: the migration safety analysis.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lint {
    /// The lowest severity that fails `lint` (and that a protected
    /// environment's `migrate` refuses): info, warning or error (default).
    pub fail_on: Option<crate::lint::Severity>,
    /// Rules allowed everywhere, e.g. ["rename-column"].
    #[serde(default)]
    pub allow: Vec<String>,
}

/// Thresholds of `doctor`'s session checks.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Doctor {
    /// A session idle in a transaction longer than this is reported (default 1 min).
    #[serde(
        default = "one_minute",
        deserialize_with = "duration_req",
        serialize_with = "ser_duration_req"
    )]
    pub idle_in_transaction: Duration,
    /// A query running longer than this is reported (default 5 min).
    #[serde(
        default = "five_minutes",
        deserialize_with = "duration_req",
        serialize_with = "ser_duration_req"
    )]
    pub long_running: Duration,
}

impl Default for Doctor {
    fn default() -> Self {
        Doctor {
            idle_in_transaction: one_minute(),
            long_running: five_minutes(),
        }
    }
}

fn one_minute() -> Duration {
    Duration::from_secs(60)
}

fn five_minutes() -> Duration {
    Duration::from_secs(300)
}

fn duration_req<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration(d).map(|d| d.expect("always Some"))
}

fn ser_duration_req<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&humantime::format_duration(*d).to_string())
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Migrations {
    #[serde(default = "default_dir")]
    pub dir: PathBuf,
    #[serde(default = "default_table")]
    pub table: String,
    /// lock_timeout for migration sessions (default 5 s).
    #[serde(
        default,
        deserialize_with = "duration",
        serialize_with = "ser_duration"
    )]
    pub lock_timeout: Option<Duration>,
    /// statement_timeout for migration sessions (default 10 min).
    #[serde(
        default,
        deserialize_with = "duration",
        serialize_with = "ser_duration"
    )]
    pub statement_timeout: Option<Duration>,
    /// How long to wait for another runner's migration lock (default 120 s).
    #[serde(
        default,
        deserialize_with = "duration",
        serialize_with = "ser_duration"
    )]
    pub lock_wait: Option<Duration>,
    /// Retries of a migration that hit lock_timeout (default 3).
    pub lock_retries: Option<u32>,
}

impl Default for Migrations {
    fn default() -> Self {
        Migrations {
            dir: default_dir(),
            table: default_table(),
            lock_timeout: None,
            statement_timeout: None,
            lock_wait: None,
            lock_retries: None,
        }
    }
}

fn default_dir() -> PathBuf {
    PathBuf::from(DEFAULT_MIGRATIONS_DIR)
}

fn default_table() -> String {
    DEFAULT_HISTORY_TABLE.to_string()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Timeouts {
    /// Per connection attempt (libpq's connect_timeout). Default 10 s.
    #[serde(
        default,
        deserialize_with = "duration",
        serialize_with = "ser_duration"
    )]
    pub connect: Option<Duration>,
    /// Total time spent retrying a connection. Default 30 s.
    #[serde(
        default,
        deserialize_with = "duration",
        serialize_with = "ser_duration"
    )]
    pub connect_budget: Option<Duration>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The application (usually pooled) URL, written here. Prefer the
    /// `_var` form so that no password sits in the file.
    pub database_url: Option<String>,
    /// The variable that holds the application URL.
    pub database_url_var: Option<String>,
    /// The direct URL, written here.
    pub direct_url: Option<String>,
    /// The variable that holds the direct URL.
    pub direct_url_var: Option<String>,
    /// Production-like: `migrate` asks before changing it (or needs `--yes`).
    #[serde(default)]
    pub protected: bool,
    /// The Neon branch this environment is (its id or name), for rehearsals
    /// [default: the branch of the endpoint in its URL].
    pub neon_branch: Option<String>,
    /// `migrate` applies here only after a rehearsal passed (`--rehearse --apply`).
    #[serde(default)]
    pub require_rehearsal: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PoolEndpoint {
    Pooled,
    Direct,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ConsumerKind {
    Serverless,
    LongRunning,
    Worker,
}

/// An application's connection pool, as `doctor` budgets it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppPool {
    pub name: String,
    pub endpoint: PoolEndpoint,
    pub kind: ConsumerKind,
    #[serde(default = "one")]
    pub instances: u32,
    pub pool_size: Option<u32>,
    #[serde(default)]
    pub max_overflow: u32,
    /// Peak requests per second, with `avg_query_ms`, instead of `pool_size`.
    pub peak_rps: Option<f64>,
    pub avg_query_ms: Option<f64>,
}

fn one() -> u32 {
    1
}

fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let s = String::deserialize(d)?;
    humantime::parse_duration(&s).map(Some).map_err(|e| {
        serde::de::Error::custom(format!("{e}: write a duration like \"10s\" or \"500ms\""))
    })
}

fn ser_duration<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&humantime::format_duration(*d).to_string()),
        None => s.serialize_none(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The message carries the I/O error (not a `source`, so that it is said once).
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Load `path`. A missing file is `Ok(None)`, so the caller decides
    /// whether it had to exist.
    pub fn load(path: &Path) -> Result<Option<Config>, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    error,
                });
            }
        };
        Self::parse(&text, path).map(Some)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let config: Config = toml::from_str(text).map_err(|e| {
            let mut message = e.message().to_string();
            if let Some(span) = e.span() {
                let line = text[..span.start].matches('\n').count() + 1;
                let col = span.start - text[..span.start].rfind('\n').map_or(0, |i| i + 1) + 1;
                let key = text[span.clone()]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                message = format!("line {line}, column {col}: {message} (at `{key}`)");
            }
            invalid(message)
        })?;
        config.check(path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        for rule in &self.lint.allow {
            if crate::lint::Rule::from_id(rule).is_none() {
                return Err(invalid(format!(
                    "[lint] allow: \"{rule}\" is not a rule (see `neonops lint --rules`)"
                )));
            }
        }
        if let Some(d) = &self.default_env
            && !self.environments.contains_key(d)
        {
            return Err(invalid(format!(
                "default_env = \"{d}\" names no [environments.{d}] table"
            )));
        }
        for (name, env) in &self.environments {
            if env.database_url.is_some() && env.database_url_var.is_some() {
                return Err(invalid(format!(
                    "[environments.{name}] sets both database_url and database_url_var: keep one"
                )));
            }
            if env.direct_url.is_some() && env.direct_url_var.is_some() {
                return Err(invalid(format!(
                    "[environments.{name}] sets both direct_url and direct_url_var: keep one"
                )));
            }
            for (key, url) in [
                ("database_url", &env.database_url),
                ("direct_url", &env.direct_url),
            ] {
                if let Some(u) = url {
                    crate::endpoint::DatabaseUrl::parse(u)
                        .map_err(|e| invalid(format!("[environments.{name}] {key}: {e}")))?;
                }
            }
        }
        crate::migrate::Table::new(&self.migrations.table)
            .map_err(|e| invalid(format!("[migrations] table: {e}")))?;
        let mut names = std::collections::BTreeSet::new();
        for p in &self.poolers {
            if !names.insert(&p.name) {
                return Err(invalid(format!(
                    "two [[pooler]] entries are named \"{}\"",
                    p.name
                )));
            }
        }
        for pool in &self.pools {
            let by_size = pool.pool_size.is_some();
            let by_rate = pool.peak_rps.is_some() || pool.avg_query_ms.is_some();
            if by_size == by_rate
                || (by_rate && (pool.peak_rps.is_none() || pool.avg_query_ms.is_none()))
            {
                return Err(invalid(format!(
                    "[[pool]] \"{}\": give either pool_size, or both peak_rps and avg_query_ms",
                    pool.name
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let text = "[migrations]\ndir = \"m\"\ntabel = \"x\"\n";
        let e = Config::parse(text, Path::new("neonops.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("neonops.toml"), "{e}");
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("tabel"), "{e}");
    }

    #[test]
    fn wrong_type_names_line() {
        let text = "[timeouts]\nconnect = 10\n";
        let e = Config::parse(text, Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn full_example_parses() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../neonops.toml"))
                .unwrap();
        Config::parse(&text, Path::new("neonops.toml")).unwrap();
    }
}
