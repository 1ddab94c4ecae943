//! Precedence, decided in one place: command-line flags > environment
//! variables > neonops.toml > defaults. Selecting an environment with `--env`
//! is a flag, so that environment's URLs win over a stray `DATABASE_URL`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::config::{self, Config, Pooler};
use crate::connect::{self, ConnectOptions, Progress, resolve};
use crate::endpoint::{DatabaseUrl, EndpointKind, PgEnv};
use crate::exit::usage;
use tracing::warn;

/// Every environment variable neonops reads (besides libpq's `PG*`, listed
/// in `endpoint::spec::PG_VARS`).
pub mod vars {
    pub const DATABASE_URL: &str = "DATABASE_URL";
    /// Direct URL, in the order they are tried.
    pub const DIRECT_URL: &[&str] = &["DATABASE_URL_DIRECT", "DATABASE_URL_UNPOOLED", "DIRECT_URL"];
    pub const RESOLVE: &str = "NEONOPS_RESOLVE";
    pub const CONNECT_BUDGET: &str = "NEONOPS_CONNECT_BUDGET";
}

/// A value and where it came from, for messages and `url explain`.
#[derive(Debug, Clone, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

#[derive(Debug)]
pub struct Settings {
    pub config: Config,
    pub config_path: PathBuf,
    pub config_found: bool,
    pub env_name: Option<String>,
    pub protected: bool,
    pub database_url: Option<Sourced<DatabaseUrl>>,
    pub direct_url: Option<Sourced<DatabaseUrl>>,
    pub connect: ConnectOptions,
    pub pg_env: PgEnv,
    pub json: bool,
    pub yes: bool,
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

fn parse_url(text: &str, source: &str) -> Result<Sourced<DatabaseUrl>> {
    let value = DatabaseUrl::parse(text).with_context(|| format!("the URL from {source}"))?;
    Ok(Sourced {
        value,
        source: source.to_string(),
    })
}

impl Settings {
    pub fn resolve(args: &GlobalArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
        let explicit_config = args.config.is_some();
        let config_path = args
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from(config::DEFAULT_PATH));
        let loaded = Config::load(&config_path)?;
        if loaded.is_none() && explicit_config {
            return Err(usage(format!(
                "configuration file {} does not exist: create it with `neonops init --path {}`, or drop --config",
                config_path.display(),
                config_path.display()
            )));
        }
        let config_found = loaded.is_some();
        let config = loaded.unwrap_or_default();

        let env_name = args.env_name.clone().or_else(|| config.default_env.clone());
        let environment = match &env_name {
            Some(name) => Some(config.environments.get(name).ok_or_else(|| {
                let known: Vec<&str> = config.environments.keys().map(String::as_str).collect();
                usage(format!(
                    "no environment \"{name}\" in {}{}",
                    config_path.display(),
                    if known.is_empty() {
                        " (it declares none)".to_string()
                    } else {
                        format!(": known environments are {}", known.join(", "))
                    }
                ))
            })?),
            None => None,
        };
        let env_explicit = args.env_name.is_some();

        // The environment's own URLs, if it names them.
        let from_environment = |literal: &Option<String>,
                                var: &Option<String>,
                                key: &str|
         -> Result<Option<Sourced<DatabaseUrl>>> {
            let name = env_name.as_deref().unwrap_or_default();
            if let Some(text) = literal {
                return parse_url(
                    text,
                    &format!("{} [environments.{name}] {key}", config_path.display()),
                )
                .map(Some);
            }
            if let Some(v) = var {
                return match env(v) {
                    Some(text) => {
                        parse_url(&text, &format!("${v} (named by [environments.{name}])"))
                            .map(Some)
                    }
                    None => Err(usage(format!(
                        "[environments.{name}] in {} reads the URL from ${v}, which is not set",
                        config_path.display()
                    ))),
                };
            }
            Ok(None)
        };
        let (env_db, env_direct) = match environment {
            Some(e) => (
                from_environment(&e.database_url, &e.database_url_var, "database_url")?,
                from_environment(&e.direct_url, &e.direct_url_var, "direct_url")?,
            ),
            None => (None, None),
        };
        let var_db = env(vars::DATABASE_URL)
            .filter(|v| !v.is_empty())
            .map(|t| parse_url(&t, "$DATABASE_URL"))
            .transpose()?;
        let var_direct = vars::DIRECT_URL
            .iter()
            .find_map(|v| env(v).filter(|t| !t.is_empty()).map(|t| (v, t)))
            .map(|(v, t)| parse_url(&t, &format!("${v}")))
            .transpose()?;
        let flag_db = args
            .database_url
            .as_deref()
            .map(|t| parse_url(t, "--database-url"))
            .transpose()?;
        let flag_direct = args
            .direct_url
            .as_deref()
            .map(|t| parse_url(t, "--direct-url"))
            .transpose()?;

        let pick = |flag: Option<Sourced<DatabaseUrl>>, var, file| {
            if env_explicit {
                flag.or(file).or(var)
            } else {
                flag.or(var).or(file)
            }
        };
        let database_url = pick(flag_db, var_db, env_db);
        let direct_url = pick(flag_direct, var_direct, env_direct);

        let connect_timeout = config
            .timeouts
            .connect
            .unwrap_or(connect::DEFAULT_CONNECT_TIMEOUT);
        let budget = match env(vars::CONNECT_BUDGET) {
            Some(v) => humantime::parse_duration(&v).map_err(|e| {
                usage(format!(
                    "${}={v:?}: {e} (write e.g. \"30s\")",
                    vars::CONNECT_BUDGET
                ))
            })?,
            None => config
                .timeouts
                .connect_budget
                .unwrap_or(connect::DEFAULT_CONNECT_BUDGET),
        };
        let mut rules = args.resolve.clone();
        if let Some(list) = env(vars::RESOLVE) {
            rules.extend(
                resolve::parse_list(&list)
                    .map_err(|e| usage(format!("${}: {e}", vars::RESOLVE)))?,
            );
        }
        // A panic on purpose, with the raw URL in its message, so that tests
        // can prove the panic hook masks it (never set it otherwise).
        if env("NEONOPS_INTERNAL_TEST_PANIC").is_some_and(|v| v == "1") {
            let raw = database_url
                .as_ref()
                .or(direct_url.as_ref())
                .map(|u| u.value.reveal_for_export().to_string())
                .unwrap_or_default();
            panic!("forced panic for a test, while holding {raw}");
        }
        Ok(Settings {
            protected: environment.is_some_and(|e| e.protected),
            config,
            config_path,
            config_found,
            env_name,
            database_url,
            direct_url,
            connect: ConnectOptions {
                connect_timeout,
                connect_timeout_override: args.connect_timeout.map(Duration::from_secs),
                budget,
                retry: true,
                progress: Progress::for_stderr(args.quiet),
                resolve: rules,
                pooled: false,
            },
            pg_env: PgEnv::from_process(),
            json: args.json,
            yes: args.yes,
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn args() -> GlobalArgs {
        GlobalArgs {
            database_url: None,
            direct_url: None,
            env_name: None,
            config: Some(PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/neonops.toml"
            ))),
            json: false,
            verbose: 0,
            quiet: false,
            no_dotenv: true,
            connect_timeout: None,
            resolve: vec![],
            yes: false,
        }
    }

    const POOLED: &str = "postgres://u:p@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db";

    #[test]
    fn flag_beats_variable_and_direct_is_derived() {
        let vars: HashMap<&str, &str> =
            [("DATABASE_URL", "postgres://u:p@other.example.com/db")].into();
        let env = |k: &str| vars.get(k).map(|v| v.to_string());
        let mut a = args();
        a.database_url = Some(POOLED.into());
        let s = Settings::resolve(&a, &env).unwrap();
        let e = s.endpoints().unwrap();
        assert_eq!(e.pooled.unwrap().source, "--database-url");
        let d = e.direct.unwrap();
        assert!(
            d.value.to_string().contains("ep-a-a1b2c3d4.us-east-2"),
            "{}",
            d.value
        );
        assert_eq!(d.source, "derived from --database-url");
    }

    #[test]
    fn unpooled_variable_names_are_read() {
        for var in ["DATABASE_URL_DIRECT", "DATABASE_URL_UNPOOLED", "DIRECT_URL"] {
            let vars: HashMap<&str, &str> = [(var, "postgres://u:p@db.example.com/db")].into();
            let env = |k: &str| vars.get(k).map(|v| v.to_string());
            let s = Settings::resolve(&args(), &env).unwrap();
            assert_eq!(s.direct_url.unwrap().source, format!("${var}"));
        }
    }
}
