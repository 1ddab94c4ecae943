//! `new`: the next migration file.

use anyhow::{Context, Result};

use super::load_or_refuse;
use crate::cli::{GlobalArgs, NewArgs};
use crate::exit::{Exit, usage};
use crate::migrate::files;
use crate::settings::Settings;

pub fn new(g: &GlobalArgs, args: NewArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let dir = settings.migrations_dir(&args.dir).value;
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let files = load_or_refuse(&settings, &args.dir)?;
    let name = files::next_file_name(&files, &args.name, args.version).map_err(usage)?;
    let path = dir.join(&name);
    let mut body = String::new();
    if args.no_transaction {
        body.push_str(files::NO_TRANSACTION);
        body.push_str("\n-- Runs outside a transaction, one statement at a time (e.g. CREATE INDEX CONCURRENTLY).\n");
    } else {
        body.push_str("-- Runs in a transaction of its own, recorded with it.\n");
    }
    body.push_str(&format!("-- {}\n", args.name.trim()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, body.as_bytes()))
        .with_context(|| format!("creating {}", path.display()))?;
    let shown = path.display().to_string();
    settings
        .printer
        .report(&serde_json::json!({ "file": path }), || shown);
    Ok(Exit::Success)
}
