//! Precedence, decided in one place: command-line flags > environment
//! variables > neonops.toml > defaults. Selecting an environment with `--env`
//! is a flag, so that environment's URLs win over a stray `DATABASE_URL`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cli::{GlobalArgs, MigrationsDir};
use crate::config::{self, Config, Environment};
use crate::connect::{self, ConnectOptions, resolve};
use crate::endpoint::{DatabaseUrl, PgEnv};
use crate::exit::usage;
pub use crate::target::{Endpoints, Sourced, Target};

/// Every environment variable neonops reads (besides libpq's `PG*`, listed
/// in `endpoint::spec::PG_VARS`).
pub mod vars {
    pub const DATABASE_URL: &str = "DATABASE_URL";
    /// Direct URL, in the order they are tried.
    pub const DIRECT_URL: &[&str] = &["DATABASE_URL_DIRECT", "DATABASE_URL_UNPOOLED", "DIRECT_URL"];
    pub const RESOLVE: &str = "NEONOPS_RESOLVE";
    pub const CONNECT_BUDGET: &str = "NEONOPS_CONNECT_BUDGET";
}

/// The resolved target, and how the command prints (`--json`, `-q`) and
/// asks (`--yes`). It derefs to its [`Target`], which the library takes.
#[derive(Debug)]
pub struct Settings {
    pub target: Target,
    pub json: bool,
    /// Where the command's output goes (`--json`, `-q`).
    pub printer: crate::output::Printer,
    pub yes: bool,
}

impl std::ops::Deref for Settings {
    type Target = Target;
    fn deref(&self) -> &Target {
        &self.target
    }
}

impl std::ops::DerefMut for Settings {
    fn deref_mut(&mut self) -> &mut Target {
        &mut self.target
    }
}

fn parse_url(text: &str, source: &str) -> Result<Sourced<DatabaseUrl>> {
    let value = DatabaseUrl::parse(text).with_context(|| format!("the URL from {source}"))?;
    Ok(Sourced {
        value,
        source: source.to_string(),
    })
}

impl Settings {
    /// The migrations directory and where it was set: `--dir`, else
    /// `[migrations] dir`, else `./migrations`.
    pub fn migrations_dir(&self, dir: &MigrationsDir) -> Sourced<PathBuf> {
        self.target.migrations_dir(dir.dir.as_deref())
    }

    pub fn resolve(args: &GlobalArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
        let (config, config_path, config_found) = load_config(args)?;
        let env_name = args.env_name.clone().or_else(|| config.default_env.clone());
        let environment = env_name
            .as_deref()
            .map(|name| environment(&config, &config_path, name))
            .transpose()?;
        let (database_url, direct_url) = Urls {
            args,
            env,
            config_path: &config_path,
            env_name: env_name.as_deref().unwrap_or_default(),
            environment,
        }
        .pick()?;
        let connect = connect_options(args, &config, env)?;
        Ok(Settings {
            target: Target {
                protected: environment.is_some_and(|e| e.protected),
                neon_branch: environment.and_then(|e| e.neon_branch.clone()),
                require_rehearsal: environment.is_some_and(|e| e.require_rehearsal),
                config_path,
                config_found,
                env_name,
                database_url,
                direct_url,
                connect,
                pg_env: PgEnv::from_env(env),
                config,
            },
            json: args.json,
            printer: crate::output::printer(),
            yes: args.yes,
        })
    }
}

/// neonops.toml (or `--config`'s file, which must exist): the config, its
/// path, and whether it was found.
fn load_config(args: &GlobalArgs) -> Result<(Config, PathBuf, bool)> {
    let config_path = args
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from(config::DEFAULT_PATH));
    let loaded = Config::load(&config_path)?;
    if loaded.is_none() && args.config.is_some() {
        return Err(usage(format!(
            "configuration file {} does not exist: create it with `neonops init --path {}`, or drop --config",
            config_path.display(),
            config_path.display()
        )));
    }
    let found = loaded.is_some();
    Ok((loaded.unwrap_or_default(), config_path, found))
}

/// The environment `name` of the config, or an error that lists the known ones.
fn environment<'a>(config: &'a Config, path: &Path, name: &str) -> Result<&'a Environment> {
    config.environments.get(name).ok_or_else(|| {
        let known: Vec<&str> = config.environments.keys().map(String::as_str).collect();
        usage(format!(
            "no environment \"{name}\" in {}{}",
            path.display(),
            if known.is_empty() {
                " (it declares none)".to_string()
            } else {
                format!(": known environments are {}", known.join(", "))
            }
        ))
    })
}

type MaybeUrl = Option<Sourced<DatabaseUrl>>;

/// Where the URLs may come from: flags, variables, the selected environment.
struct Urls<'a> {
    args: &'a GlobalArgs,
    env: &'a dyn Fn(&str) -> Option<String>,
    config_path: &'a Path,
    env_name: &'a str,
    environment: Option<&'a Environment>,
}

impl Urls<'_> {
    /// The application URL and the direct one: a flag wins; then, with
    /// `--env`, the environment's, else the variables'.
    fn pick(&self) -> Result<(MaybeUrl, MaybeUrl)> {
        let (env_db, env_direct) = match self.environment {
            Some(e) => (
                self.environment_url(&e.database_url, &e.database_url_var, "database_url")?,
                // An unset direct variable: derived from the pooled URL
                // when that can be (docs/configuration.md).
                match self.environment_url(&e.direct_url, &e.direct_url_var, "direct_url") {
                    Err(_) if e.database_url.is_some() || e.database_url_var.is_some() => {
                        tracing::debug!(
                            "[environments.{}] direct_url_var is not set: the direct URL is derived from the pooled one",
                            self.env_name
                        );
                        None
                    }
                    r => r?,
                },
            ),
            None => (None, None),
        };
        let env = self.env;
        let var_db = env(vars::DATABASE_URL)
            .filter(|v| !v.is_empty())
            .map(|t| parse_url(&t, "$DATABASE_URL"))
            .transpose()?;
        let var_direct = vars::DIRECT_URL
            .iter()
            .find_map(|v| env(v).filter(|t| !t.is_empty()).map(|t| (v, t)))
            .map(|(v, t)| parse_url(&t, &format!("${v}")))
            .transpose()?;
        let flag = |text: &Option<String>, source: &str| {
            text.as_deref().map(|t| parse_url(t, source)).transpose()
        };
        let flag_db = flag(&self.args.database_url, "--database-url")?;
        let flag_direct = flag(&self.args.direct_url, "--direct-url")?;
        let env_explicit = self.args.env_name.is_some();
        let pick = |flag: Option<Sourced<DatabaseUrl>>, var, file| {
            if env_explicit {
                flag.or(file).or(var)
            } else {
                flag.or(var).or(file)
            }
        };
        Ok((
            pick(flag_db, var_db, env_db),
            pick(flag_direct, var_direct, env_direct),
        ))
    }

    /// The environment's own URL `key`: written in the file, or read from
    /// the variable it names (which must be set).
    fn environment_url(
        &self,
        literal: &Option<String>,
        var: &Option<String>,
        key: &str,
    ) -> Result<MaybeUrl> {
        let name = self.env_name;
        if let Some(text) = literal {
            return parse_url(
                text,
                &format!("{} [environments.{name}] {key}", self.config_path.display()),
            )
            .map(Some);
        }
        let Some(v) = var else {
            return Ok(None);
        };
        match (self.env)(v) {
            Some(text) => {
                parse_url(&text, &format!("${v} (named by [environments.{name}])")).map(Some)
            }
            None => Err(usage(format!(
                "[environments.{name}] in {} reads the URL from ${v}, which is not set",
                self.config_path.display()
            ))),
        }
    }
}

/// Timeouts, the connect budget and `--resolve` rules, from flags, the
/// variables and the config.
fn connect_options(
    args: &GlobalArgs,
    config: &Config,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ConnectOptions> {
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
            resolve::parse_list(&list).map_err(|e| usage(format!("${}: {e}", vars::RESOLVE)))?,
        );
    }
    Ok(ConnectOptions {
        connect_timeout: config
            .timeouts
            .connect
            .unwrap_or(connect::DEFAULT_CONNECT_TIMEOUT),
        connect_timeout_override: args.connect_timeout.map(Duration::from_secs),
        budget,
        retry: true,
        progress: crate::output::connect_progress(),
        resolve: rules,
        pooled: false,
    })
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
            quiet: 0,
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
            assert_eq!(s.target.direct_url.unwrap().source, format!("${var}"));
        }
    }

    #[test]
    fn libpqs_variables_come_from_the_environment_given() {
        // Not from this process's: what resolve is given is all it reads.
        let vars: HashMap<&str, &str> = [
            ("PGHOST", "/nowhere/this/process/has"),
            ("PGDATABASE", "given"),
        ]
        .into();
        let env = |k: &str| vars.get(k).map(|v| v.to_string());
        let s = Settings::resolve(&args(), &env).unwrap();
        assert_eq!(
            s.pg_env.target_vars(),
            ["PGHOST=/nowhere/this/process/has", "PGDATABASE=given"]
        );
        let none = Settings::resolve(&args(), &|_| None).unwrap();
        assert!(none.pg_env.is_empty());
    }
}
