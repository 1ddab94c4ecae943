//! `neonops sandbox up|down|restart|status|env`: the local Neon-shaped
//! stack (`crate::sandbox`), shown through the printer.

use std::path::Path;

use anyhow::Result;

use crate::cli::{SandboxCommand, SandboxDir};
use crate::exit::{Exit, usage};
use crate::output::{Printer, table};
use crate::sandbox::{
    DIRECT_ADDR, POOLED_ADDR, Shape, State, default_dir, down, is_running, load_state, names_note,
    restart_postgres, up,
};

fn dir_of(d: &SandboxDir) -> std::path::PathBuf {
    d.dir.clone().unwrap_or_else(default_dir)
}

pub async fn run(cmd: SandboxCommand) -> Result<Exit> {
    let p = crate::output::printer();
    match cmd {
        SandboxCommand::Up {
            dir,
            compute_size,
            max_client_conn,
            query_wait_timeout,
            pool_size,
            max_connections,
            branch_limit,
        } => {
            let state = up(
                &dir_of(&dir),
                Shape {
                    compute_size,
                    max_client_conn,
                    query_wait_timeout,
                    pool_size,
                    max_connections,
                    branch_limit,
                },
            )
            .await?;
            print_status(p, &state, true);
            Ok(Exit::Success)
        }
        SandboxCommand::Api {
            dir,
            port,
            branch_limit,
        } => {
            let dir = dir_of(&dir);
            tokio::task::spawn_blocking(move || {
                crate::sandbox::api::serve(&dir, port, branch_limit)
            })
            .await??;
            Ok(Exit::Success)
        }
        SandboxCommand::Down { dir, keep } => {
            let dir = dir_of(&dir);
            let stopped = down(&dir, keep)?;
            p.report(
                &serde_json::json!({ "stopped": stopped, "dir": dir }),
                || {
                    if stopped {
                        format!("sandbox in {} stopped", dir.display())
                    } else {
                        format!("no sandbox in {}", dir.display())
                    }
                },
            );
            Ok(Exit::Success)
        }
        SandboxCommand::Restart { dir, immediate } => {
            let dir = dir_of(&dir);
            let state = load_state(&dir)?.filter(is_running).ok_or_else(|| {
                usage(format!(
                    "no running sandbox in {}: start one with `neonops sandbox up`",
                    dir.display()
                ))
            })?;
            restart_postgres(&state, immediate)?;
            p.report(
                &serde_json::json!({ "restarted": true, "dir": dir }),
                || format!("PostgreSQL in {} restarted", dir.display()),
            );
            Ok(Exit::Success)
        }
        SandboxCommand::Status { dir } => status(p, &dir_of(&dir)),
        SandboxCommand::Env { dir } => env(p, &dir_of(&dir)),
    }
}

/// `sandbox status`: exit 0 when it runs, 1 when it does not (or there is none).
fn status(p: Printer, dir: &Path) -> Result<Exit> {
    match load_state(dir)? {
        Some(state) => {
            let running = is_running(&state);
            print_status(p, &state, running);
            Ok(if running {
                Exit::Success
            } else {
                Exit::Failure
            })
        }
        None => {
            p.report(&serde_json::json!({ "running": false, "dir": dir }), || {
                format!(
                    "no sandbox in {} (start one with `neonops sandbox up`)",
                    dir.display()
                )
            });
            Ok(Exit::Failure)
        }
    }
}

/// `sandbox env`: the variables that point at it, as shell `export`s (the
/// API key by its file, never itself).
fn env(p: Printer, dir: &Path) -> Result<Exit> {
    let state = load_state(dir)?.ok_or_else(|| {
        usage(format!(
            "no sandbox in {}: start one with `neonops sandbox up`",
            dir.display()
        ))
    })?;
    let mut map: serde_json::Map<String, serde_json::Value> = state
        .env_vars()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect();
    // The key itself is never printed: where it is.
    let key_file = crate::sandbox::api::key_file(&state.dir);
    if state.api_port.is_some() {
        map.insert(
            "NEON_API_KEY_FILE".into(),
            key_file.display().to_string().into(),
        );
    }
    p.report(&map, || {
        let mut out = String::new();
        for (k, v) in state.env_vars() {
            out.push_str(&format!("export {k}='{v}'\n"));
        }
        if state.api_port.is_some() {
            out.push_str(&format!(
                "export NEON_API_KEY=\"$(cat '{}')\"\n",
                key_file.display()
            ));
        }
        if state.hosts_file.is_none() {
            out.push_str(&format!("# {}\n", names_note(&state)));
        }
        out.push_str(&format!(
            "# the direct endpoint is derived by neonops: {}",
            state.direct_url()
        ));
        out
    });
    Ok(Exit::Success)
}

fn print_status(p: Printer, state: &State, running: bool) {
    p.report(
        &serde_json::json!({ "running": running, "state": state }),
        || status_text(state, running),
    );
}

fn status_text(state: &State, running: bool) -> String {
    let mut t = table(&["sandbox", ""]);
    t.add_row(vec!["status", if running { "running" } else { "stopped" }]);
    t.add_row(vec!["directory", &state.dir.display().to_string()]);
    t.add_row(vec![
        "pooled endpoint (PgBouncer, transaction mode)",
        &format!("{} → {POOLED_ADDR}:{}", state.pooled_host, state.port),
    ]);
    t.add_row(vec![
        "direct endpoint (PostgreSQL 15)",
        &format!("{} → {DIRECT_ADDR}:{}", state.direct_host, state.port),
    ]);
    t.add_row(vec![
        "role / database",
        &format!("{} / {}", state.role, state.database),
    ]);
    t.add_row(vec![
        "compute size",
        &format!(
            "{} CU: max_connections {}, superuser_reserved_connections {}",
            state.compute_size, state.max_connections, state.superuser_reserved_connections
        ),
    ]);
    t.add_row(vec![
        "pooler",
        &format!(
            "default_pool_size {}, max_client_conn {}, query_wait_timeout {}s",
            state.default_pool_size, state.max_client_conn, state.query_wait_timeout
        ),
    ]);
    t.add_row(vec!["CA certificate", &state.ca_file.display().to_string()]);
    t.add_row(vec!["names", &names_note(state)]);
    if let Some(url) = state.api_url() {
        t.add_row(vec![
            "control plane (stand-in)",
            &format!("{url} (NEON_API_HOST; its key is in api.key: NEON_API_KEY)"),
        ]);
    }
    let mut out = t.to_string();
    if running {
        let dir = if state.dir == default_dir() {
            String::new()
        } else {
            format!(" --dir {}", state.dir.display())
        };
        out.push_str(&format!("\nuse it: eval \"$(neonops sandbox env{dir})\""));
    }
    out
}
