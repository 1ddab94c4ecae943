//! `status` and `validate`: read only, no lock.

use anyhow::{Context, Result};
use serde::Serialize;

use super::report::{self, annotate_at};
use super::{PROBLEMS, connect_direct, direct_endpoint, every_problem, load};
use crate::cli::{GlobalArgs, StatusArgs};
use crate::exit::{Exit, Failure, usage};
use crate::lint;
use crate::migrate::{Entry, MigrationFile, Problem, State, Table, review};
use crate::output::table;
use crate::settings::Settings;

#[derive(Serialize)]
struct StatusReport<'a> {
    ok: bool,
    database: String,
    entries: &'a [Entry],
    problems: &'a [Problem],
    /// validate: the safety analysis of the pending files.
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a [lint::Finding]>,
}

/// `status` (or `validate`): read only, no lock.
pub async fn status(g: &GlobalArgs, args: StatusArgs, validate: bool) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let loaded = load(&settings, &args.dir)?;
    let direct = direct_endpoint(&settings)?;
    let history = Table::new(&settings.config.migrations.table).map_err(usage)?;
    let client = connect_direct(&settings, &direct).await?;
    let (out, problems) = every_problem(&client, &loaded, history).await?;
    let files = &loaded.files;
    let entries = &out.comparison.entries;
    if validate && !problems.is_empty() {
        return Err(crate::exit::problems(PROBLEMS, problems.to_vec()));
    }
    let clean = entries.iter().all(|e| e.state == State::Applied);
    // validate: the pending files' safety analysis, failing at [lint] fail_on.
    let analysis = if validate {
        let pending: Vec<&MigrationFile> = out.planned.iter().map(|&i| &files[i]).collect();
        Some(
            review::analyze(&client, &pending, &settings.lint())
                .await
                .context("the safety analysis of the pending migrations")?,
        )
    } else {
        None
    };
    let failing = analysis
        .as_ref()
        .map_or(0, |a| a.failing(settings.lint_fail_on()).count());
    if let Some(a) = &analysis
        && !settings.json
    {
        for f in a.failing(settings.lint_fail_on()) {
            annotate_at(Some(&f.file), Some(f.line), Some(f.column), &f.message);
        }
    }
    let report = StatusReport {
        ok: problems.is_empty() && failing == 0,
        database: direct.value.redacted(),
        entries,
        problems: &problems,
        findings: analysis.as_ref().map(|a| &a.findings[..]),
    };
    settings.printer.report(&report, || match &analysis {
        Some(a) => {
            let pending = entries.iter().filter(|e| e.state == State::Pending).count();
            format!(
                "{}{}: {} file(s) agree with the history of {}; {pending} pending; {}",
                crate::commands::lint::report::findings_text(&a.findings),
                if failing == 0 { "valid" } else { "not safe" },
                files.len(),
                direct.value,
                report::counts(a)
            )
        }
        None => entries_table(entries),
    });
    if !problems.is_empty() {
        // The entries are shown; the problems make it an input error (exit 2).
        return Err(crate::exit::problems(PROBLEMS, problems));
    }
    if failing > 0 {
        return Err(Failure(format!(
                "{failing} finding(s) at {} or above in the pending migrations (see above): use the safe alternative, or add `-- neonops:allow <rule>: <why>` where the risk is accepted",
                settings.lint_fail_on().as_str()
            ))
            .into());
    }
    Ok(if args.exit_code && !clean {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// The entries, a row each.
fn entries_table(entries: &[Entry]) -> String {
    let mut t = table(&["version", "name", "state", "applied on", "file"]);
    for e in entries {
        t.add_row(vec![
            e.version.to_string(),
            e.name.clone(),
            format!("{:?}", e.state)
                .to_lowercase()
                .replace("outoforder", "out of order"),
            e.applied_on.clone().unwrap_or_default(),
            e.file.clone().unwrap_or_else(|| "(missing)".into()),
        ]);
    }
    t.to_string()
}
