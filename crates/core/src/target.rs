//! The target of a command: the config, the selected environment, the
//! pooled and direct endpoints, and the connection options, as data.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use tracing::warn;

use crate::config::{Config, DEFAULT_MIGRATIONS_DIR, Pooler};
use crate::connect::ConnectOptions;
use crate::endpoint::{DatabaseUrl, EndpointKind, PgEnv};
use crate::error::usage;

/// A value and where it came from, for messages and `url explain`.
#[derive(Debug, Clone, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

/// What a command works on, resolved from flags, variables and
/// neonops.toml by the binary: the config, the environment, the URLs and
/// the connection options. The library takes this, never the arguments.
#[derive(Debug)]
pub struct Target {
    pub config: Config,
    pub config_path: PathBuf,
    pub config_found: bool,
    pub env_name: Option<String>,
    pub protected: bool,
    /// The environment's Neon branch (id or name), for rehearsals.
    pub neon_branch: Option<String>,
    /// `migrate` applies only after a rehearsal passed.
    pub require_rehearsal: bool,
    pub database_url: Option<Sourced<DatabaseUrl>>,
    pub direct_url: Option<Sourced<DatabaseUrl>>,
    pub connect: ConnectOptions,
    pub pg_env: PgEnv,
}

/// The two endpoints a command may use.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoints {
    /// The pooled endpoint, when there is one.
    pub pooled: Option<Sourced<DatabaseUrl>>,
    /// The direct endpoint, when it can be reached.
    pub direct: Option<Sourced<DatabaseUrl>>,
    /// Why there is no direct endpoint, when there is none.
    pub no_direct_reason: Option<String>,
}

impl Target {
    /// The migrations directory and where it was set: `dir` (`--dir`), else
    /// `[migrations] dir`, else `./migrations`.
    pub fn migrations_dir(&self, dir: Option<&Path>) -> Sourced<PathBuf> {
        if let Some(d) = dir {
            return Sourced {
                value: d.to_path_buf(),
                source: "--dir".into(),
            };
        }
        let value = self.config.migrations.dir.clone();
        let source = if self.config_found && value != Path::new(DEFAULT_MIGRATIONS_DIR) {
            format!("[migrations] dir in {}", self.config_path.display())
        } else {
            "the default".into()
        };
        Sourced { value, source }
    }

    pub fn poolers(&self) -> &[Pooler] {
        &self.config.poolers
    }

    /// The pooled and direct endpoints from what was given: a pooled Neon
    /// URL gives its direct endpoint; a direct Neon URL gives its pooled one.
    pub fn endpoints(&self) -> Result<Endpoints> {
        let poolers = self.poolers();
        let app = match (&self.database_url, &self.direct_url) {
            (Some(a), _) => Some(a.clone()),
            (None, Some(_)) => None,
            (None, None) if !self.pg_env.target_vars().is_empty() => {
                let value = DatabaseUrl::from_pg_env(&self.pg_env)
                    .context("the PG* environment variables")?;
                let source = format!("libpq's variables {}", self.pg_env.target_vars().join(" "));
                warn!(
                    "no --database-url or DATABASE_URL: connecting as libpq would, to {} from {source}",
                    value
                        .hosts()
                        .first()
                        .map(|h| h.name.clone())
                        .unwrap_or_else(|| "its default host".into())
                );
                Some(Sourced { value, source })
            }
            (None, None) => {
                let mut message = "no database URL: pass --database-url or set DATABASE_URL (and DATABASE_URL_DIRECT), choose an environment from neonops.toml with --env, or start the local sandbox with `neonops sandbox up` and `eval \"$(neonops sandbox env)\"`".to_string();
                let set = self.pg_env.names();
                if !set.is_empty() {
                    message.push_str(&format!(
                        " ({} {} set, but names no server: PGHOST, PGPORT, PGDATABASE or PGUSER would)",
                        set.join(", "),
                        if set.len() == 1 { "is" } else { "are" }
                    ));
                }
                return Err(usage(message));
            }
        };
        let mut out = Endpoints {
            pooled: None,
            direct: self.direct_url.clone(),
            no_direct_reason: None,
        };
        if let Some(app) = app {
            let kind = app.value.kind(poolers);
            if kind.is_pooled() {
                if out.direct.is_none() {
                    match app.value.to_direct(poolers) {
                        Ok(d) => {
                            out.direct = Some(Sourced {
                                value: d,
                                source: format!("derived from {}", app.source),
                            })
                        }
                        Err(e) => out.no_direct_reason = Some(e.to_string()),
                    }
                }
                out.pooled = Some(app);
            } else {
                if out.direct.is_none() {
                    out.direct = Some(app.clone());
                }
                if matches!(
                    kind,
                    EndpointKind::NeonDirect { .. } | EndpointKind::DeclaredDirect { .. }
                ) && let Ok(p) = app.value.to_pooled(poolers)
                {
                    out.pooled = Some(Sourced {
                        value: p,
                        source: format!("derived from {}", app.source),
                    });
                }
            }
        } else if let Some(d) = &self.direct_url
            && let Ok(p) = d.value.to_pooled(poolers)
        {
            out.pooled = Some(Sourced {
                value: p,
                source: format!("derived from {}", d.source),
            });
        }
        Ok(out)
    }

    /// Options for work on this URL: retried within the connect budget (a
    /// waking compute), the wait shown on stderr.
    pub fn connect_options(&self, url: &DatabaseUrl) -> ConnectOptions {
        let mut o = self.connect.clone();
        o.pooled = url.kind(self.poolers()).is_pooled();
        o
    }

    /// The safety analysis's settings from `[lint]`.
    pub fn lint(&self) -> crate::lint::Settings {
        crate::lint::Settings {
            allow: self.config.lint.allow.iter().cloned().collect(),
        }
    }

    /// The lowest severity that fails `lint` and `validate`, and that a
    /// protected environment's `migrate` refuses.
    pub fn lint_fail_on(&self) -> crate::lint::Severity {
        self.config
            .lint
            .fail_on
            .unwrap_or(crate::lint::Severity::Error)
    }

    /// Options for a diagnosis of this URL: one attempt, answered within
    /// connect_timeout.
    pub fn diagnostic_options(&self, url: &DatabaseUrl) -> ConnectOptions {
        self.connect_options(url).diagnostic()
    }
}
