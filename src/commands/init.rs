//! `neonops init`: write a commented neonops.toml. Prompts (dialoguer) only
//! on a terminal; without one, flags decide and nothing waits for input.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use dialoguer::{Confirm, Input};

use crate::cli::{GlobalArgs, InitArgs};
use crate::config::{Config, DEFAULT_PATH};
use crate::exit::{Exit, usage};

pub fn render(env: &str, db_var: &str, direct_var: &str, protected: bool, dir: &str) -> String {
    format!(
        r#"# neonops configuration. Precedence: flags > environment variables > this file > defaults.

[migrations]
# Where the V{{n}}__{{name}}.sql files live.
dir = "{dir}"
# The history table (refinery's layout, so refinery and neonops can take turns).
table = "refinery_schema_history"
# Every migration session sets these (the state a transaction pooler would lose).
lock_timeout = "5s"          # short DDL locks; a migration that hits it is retried
statement_timeout = "10min"
lock_wait = "120s"           # how long to wait for another runner's migration lock
lock_retries = 3

[timeouts]
# Per connection attempt; Neon advises 10 s so a suspended compute can wake.
connect = "10s"
# Total time spent retrying a connection (refused, reset, waking compute, rate limit).
connect_budget = "30s"

# Named environments: select one with --env NAME (or default_env = "NAME").
# Keep passwords out of this file: name the variables that hold the URLs.
[environments.{env}]
database_url_var = "{db_var}"        # the application's (pooled) URL
direct_url_var = "{direct_var}"   # optional: derived from a pooled Neon URL when absent
protected = {protected}                       # true: migrate asks first, or needs --yes without a terminal
# require_rehearsal = true   # migrate applies only as `migrate --rehearse --apply` (on a Neon branch first)
# neon_branch = "main"       # the Neon branch this is (id or name); default: its endpoint's

# Rehearsals (`migrate --rehearse`, NEON_API_KEY) branch this project; by default
# the one whose endpoint is in the URL:
# [neon]
# project_id = "cool-darkness-12345678"

# A pooler in front of a non-Neon PostgreSQL (Neon's own is recognised by its -pooler host):
# [[pooler]]
# name = "pgbouncer"
# host = "pgbouncer.internal"
# port = 6432
# direct_host = "db.internal"   # how neonops gets around it for migrations
# direct_port = 5432
# mode = "transaction"

# Application connection pools, budgeted by `neonops doctor`:
# [[pool]]
# name = "web"
# endpoint = "pooled"         # pooled | direct
# kind = "serverless"         # serverless | long-running | worker
# instances = 20
# pool_size = 5               # or: peak_rps = 200 and avg_query_ms = 15
# max_overflow = 2
"#
    )
}

pub fn run(g: &GlobalArgs, args: InitArgs) -> Result<Exit> {
    let path = args
        .path
        .clone()
        .or_else(|| g.config.clone())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_PATH));
    let interactive =
        !args.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if path.exists() && !args.force {
        let replace = interactive
            && Confirm::new()
                .with_prompt(format!("{} exists. Replace it?", path.display()))
                .default(false)
                .interact()?;
        if !replace {
            return Err(usage(format!(
                "{} already exists: pass --force to replace it",
                path.display()
            )));
        }
    }
    let (mut env, mut db_var, mut direct_var, mut protected) = (
        args.environment.clone(),
        args.database_url_var.clone(),
        args.direct_url_var.clone(),
        args.protected,
    );
    let mut dir = args.migrations_dir.display().to_string();
    if interactive {
        env = Input::new()
            .with_prompt("Environment name")
            .default(env)
            .interact_text()?;
        db_var = Input::new()
            .with_prompt("Variable holding the application (pooled) URL")
            .default(db_var)
            .interact_text()?;
        direct_var = Input::new()
            .with_prompt(
                "Variable holding the direct URL (derived from a pooled Neon URL if unset)",
            )
            .default(direct_var)
            .interact_text()?;
        protected = Confirm::new()
            .with_prompt("Protect this environment (migrate asks before changing it)?")
            .default(protected)
            .interact()?;
        dir = Input::new()
            .with_prompt("Migrations directory")
            .default(dir)
            .interact_text()?;
    }
    let text = render(&env, &db_var, &direct_var, protected, &dir);
    // What we write must load.
    Config::parse(&text, &path).context("the generated configuration")?;
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    let printer = crate::output::printer();
    let shown = format!("wrote {}", path.display());
    if printer.json() {
        printer.json_only(&serde_json::json!({ "file": path }));
    } else {
        printer.note(shown);
    }
    Ok(Exit::Success)
}
