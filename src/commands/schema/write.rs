//! `diff --write NAME`: the plan as the next migration file(s). What runs
//! in the plan's transaction is one file; new enum labels (committed before
//! anything uses them) and what cannot run in a transaction (`CREATE INDEX
//! CONCURRENTLY`, a `VALIDATE` that should not hold the rest's locks) go in
//! `-- neonops:no-transaction` files before and after it.

use anyhow::{Context as _, Result};

use crate::cli::MigrationsDir;
use crate::exit::usage;
use crate::migrate::MigrationFile;
use crate::migrate::files::{NO_TRANSACTION, next_file_name};
use crate::schema::compare::{Difference, Phase, Planned, creates_routines, plan};
use crate::settings::Settings;

/// Write the files; their paths. Refuses (nothing written) a plan that
/// loses data unless `allow_data_loss`.
pub fn files(
    settings: &Settings,
    dir: &MigrationsDir,
    existing: &[MigrationFile],
    name: &str,
    diffs: &[Difference],
    allow_data_loss: bool,
) -> Result<Vec<String>> {
    if diffs.is_empty() {
        settings
            .printer
            .note("the schemas are equal: no migration written");
        return Ok(Vec::new());
    }
    let loss: Vec<&String> = diffs
        .iter()
        .flat_map(|d| &d.hazards)
        .filter(|h| h.starts_with("data loss"))
        .collect();
    if !loss.is_empty() && !allow_data_loss {
        return Err(usage(format!(
            "the plan loses data, so --write wrote nothing: {}. Check it, then pass --allow-data-loss",
            loss.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    let planned = plan(diffs);
    let parts: Vec<(&str, bool, Vec<&Planned>)> = [
        ("enum_values", true, Phase::Before),
        ("", false, Phase::Drop),
        ("online", true, Phase::After),
    ]
    .into_iter()
    .map(|(suffix, no_tx, phase)| {
        let mine: Vec<&Planned> = planned
            .iter()
            .filter(|p| match phase {
                Phase::Drop => p.phase.in_transaction(),
                other => p.phase == other,
            })
            .collect();
        (suffix, no_tx, mine)
    })
    .filter(|(_, _, mine)| !mine.is_empty())
    .collect();
    let dir = settings.migrations_dir(dir).value;
    let first = existing.iter().map(|f| f.version).max().unwrap_or(0) + 1;
    let mut written = Vec::new();
    for (i, (suffix, no_tx, mine)) in parts.iter().enumerate() {
        let full = if suffix.is_empty() {
            name.to_string()
        } else {
            format!("{name} {suffix}")
        };
        let file = next_file_name(existing, &full, Some(first + i as i32)).map_err(usage)?;
        let path = dir.join(file);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, body(*no_tx, mine).as_bytes()))
            .with_context(|| format!("writing {}", path.display()))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

fn body(no_transaction: bool, statements: &[&Planned]) -> String {
    let mut out = String::new();
    if no_transaction {
        out.push_str(NO_TRANSACTION);
        out.push_str("\n-- Runs outside a transaction, one statement at a time.\n");
    }
    out.push_str("-- Written by neonops diff.\n");
    let owned: Vec<Planned> = statements.iter().map(|p| (*p).clone()).collect();
    if !no_transaction && creates_routines(&owned) {
        // In this file's transaction only (see compare::CHECK_BODIES_OFF).
        out.push_str("SET LOCAL check_function_bodies = off;\n");
    }
    for p in statements {
        for h in &p.hazards {
            out.push_str(&format!("-- hazard: {h}\n"));
        }
        out.push_str(&p.sql);
        out.push('\n');
    }
    out
}
