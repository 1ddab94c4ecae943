//! Where a command makes its scratch databases: `--scratch-url`'s server,
//! else the running local sandbox.

use anyhow::Result;

use crate::error::usage;
use crate::schema::scratch::Server;
use crate::settings::Settings;

/// `--scratch-url`, or the running local sandbox. Refuses the server of a
/// protected environment, and a pooler.
pub fn choose(settings: &Settings, scratch_url: Option<&str>) -> Result<Server> {
    match scratch_url {
        Some(raw) => Server::for_url(settings, raw),
        None => sandbox(
            "--scratch-url (a server where this role may CREATE DATABASE, a Neon branch say)",
        ),
    }
}

/// The running local sandbox; else a usage error that says to start it or
/// give `otherwise`.
pub fn sandbox(otherwise: &str) -> Result<Server> {
    let (state, dir) = crate::sandbox::running()?;
    let state = state.ok_or_else(|| {
        usage(format!(
            "this needs a scratch database: start the local sandbox (`neonops sandbox up`, in {}) or give {otherwise}",
            dir.display()
        ))
    })?;
    Ok(Server::Local(Box::new(state.scratch_server()?)))
}
