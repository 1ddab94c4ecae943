//! The migrations, as seen from the direct endpoint: files against history.

use tokio_postgres::Client;

use super::{Finding, Status};
use crate::lint::{self, Severity};
use crate::migrate::{self, run as mrun};
use crate::target::Target;

pub(super) async fn migration_findings(
    target: &Target,
    client: &Client,
    scratch: Option<&crate::schema::scratch::Server>,
) -> Vec<Finding> {
    let dir = &target.config.migrations.dir;
    if !dir.is_dir() {
        return vec![Finding::new(
            Status::Info,
            "migrations",
            Some("direct"),
            format!("no migrations directory at {}", dir.display()),
            None,
        )];
    }
    let loaded = match migrate::files::load(dir) {
        Ok(l) => l,
        Err(e) => {
            return vec![Finding::new(
                Status::Fail,
                "migration files",
                None,
                e.to_string(),
                Some("fix [migrations] dir in neonops.toml".into()),
            )];
        }
    };
    // Every problem at once: the files' here, the history's below.
    let mut file_findings: Vec<Finding> = loaded
        .all_problems()
        .into_iter()
        .map(|p| {
            Finding::new(
                Status::Fail,
                "migration files",
                None,
                p.to_string(),
                Some("fix the file (see `neonops validate`)".into()),
            )
        })
        .collect();
    let files = loaded.files;
    let Ok(table) = migrate::Table::new(&target.config.migrations.table) else {
        return Vec::new();
    };
    file_findings.push(lock_finding(client, &table).await);
    match mrun::plan(client, &files, table).await {
        Err(e) => {
            file_findings.push(Finding::new(
                Status::Fail,
                "migrations",
                Some("direct"),
                e.to_string(),
                None,
            ));
            file_findings
        }
        Ok(out) => {
            let mut f = file_findings;
            for p in out.problems() {
                let detail = p.to_string();
                if !f.iter().any(|x| x.detail == detail) {
                    f.push(Finding::new(
                        Status::Fail,
                        "migrations",
                        Some("direct"),
                        detail,
                        Some("see `neonops status`".into()),
                    ));
                }
            }
            let pending = out.comparison.pending.len();
            f.push(Finding::new(
                if pending > 0 {
                    Status::Warn
                } else {
                    Status::Pass
                },
                "migrations",
                Some("direct"),
                format!(
                    "{} applied, {pending} pending",
                    out.comparison
                        .entries
                        .iter()
                        .filter(|e| e.state == migrate::State::Applied)
                        .count()
                ),
                (pending > 0).then(|| "run `neonops migrate`".to_string()),
            ));
            if !out.planned.is_empty() {
                let planned: Vec<&migrate::MigrationFile> =
                    out.planned.iter().map(|&i| &files[i]).collect();
                f.push(safety_finding(target, client, &planned).await);
            }
            // Drift only when files and history agree.
            if f.iter().all(|x| x.status != Status::Fail) {
                let applied: Vec<&migrate::MigrationFile> = out
                    .comparison
                    .entries
                    .iter()
                    .filter(|e| e.state == migrate::State::Applied)
                    .filter_map(|e| files.iter().find(|x| x.version == e.version))
                    .collect();
                if let Some(server) = scratch {
                    f.extend(drift_finding(target, client, server, &applied).await);
                }
            }
            f
        }
    }
}

/// Who holds the migration lock: nobody passes; an idle holder (a run
/// killed through a pooler, a stranded session) fails with what ends it;
/// an active one is a migration running now (a warning: deploys wait).
async fn lock_finding(client: &Client, table: &migrate::Table) -> Finding {
    match mrun::lock_holder(client, mrun::lock_key(table)).await {
        None => Finding::new(
            Status::Pass,
            "migration lock",
            Some("direct"),
            "free".to_string(),
            None,
        ),
        Some(h) => Finding::new(
            if h.idle() { Status::Fail } else { Status::Warn },
            "migration lock",
            Some("direct"),
            format!("held by {h}"),
            Some(h.fix()),
        ),
    }
}

/// The safety analysis of the pending migrations: fails at `[lint] fail_on`.
async fn safety_finding(
    target: &Target,
    client: &Client,
    pending: &[&migrate::MigrationFile],
) -> Finding {
    let analysis = match migrate::review::analyze(client, pending, &target.lint()).await {
        Ok(a) => a,
        Err(e) => {
            return Finding::new(
                Status::Warn,
                "migration safety",
                Some("direct"),
                format!("could not read the tables' sizes: {e}"),
                None,
            );
        }
    };
    let level = target.lint_fail_on();
    let counted: Vec<&lint::Finding> = analysis
        .findings
        .iter()
        .filter(|f| f.allowed.is_none() && f.severity >= Severity::Warning)
        .collect();
    let failing = analysis.failing(level).count();
    let status = if failing > 0 {
        Status::Fail
    } else if !counted.is_empty() {
        Status::Warn
    } else {
        Status::Pass
    };
    let message = if counted.is_empty() {
        format!(
            "{} pending statement(s): no finding at warning or above",
            analysis.statements
        )
    } else {
        format!(
            "{} finding(s) in the pending migrations: {}",
            counted.len(),
            counted
                .iter()
                .map(|f| format!("{} {}:{} {}", f.severity.as_str(), f.file, f.line, f.rule))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Finding::new(
        status,
        "migration safety",
        Some("direct"),
        message,
        (!counted.is_empty()).then(|| {
            "see `neonops migrate --plan`: each statement's lock and the safe alternative"
                .to_string()
        }),
    )
}

/// Whether the live schema is what its applied migrations build, when a
/// scratch database is at hand (the local sandbox, or `NEONOPS_SCRATCH_URL`).
pub(super) async fn drift_finding(
    target: &Target,
    client: &Client,
    server: &crate::schema::scratch::Server,
    applied: &[&migrate::MigrationFile],
) -> Option<Finding> {
    use crate::schema::{self, compare};
    let table = migrate::Table::new(&target.config.migrations.table).ok()?;
    let own = migrate::history::own_tables(&table);
    let failed = |e: String| {
        Some(Finding::new(
            Status::Warn,
            "schema drift",
            Some("direct"),
            format!("not checked: {e}"),
            None,
        ))
    };
    let live = match schema::read(client, &own).await {
        Ok(s) => s,
        Err(e) => return failed(crate::connect::error::db_message(&e)),
    };
    let scratch = match server.create(target).await {
        Ok(s) => s,
        Err(e) => return failed(format!("{e:#}")),
    };
    let expected = scratch.build(target, applied, &own).await;
    let _ = scratch.drop_now().await;
    let expected = match expected {
        Ok(s) => s,
        Err(e) => return failed(format!("{e:#}")),
    };
    let diffs = compare::compare(&expected, &live);
    Some(if diffs.is_empty() {
        Finding::new(
            Status::Pass,
            "schema drift",
            Some("direct"),
            format!(
                "none: the schema is what the {} applied migration(s) build ({} objects compared)",
                applied.len(),
                live.objects.len()
            ),
            None,
        )
    } else {
        let names: Vec<String> = diffs
            .iter()
            .take(5)
            .map(|d| format!("{} {}", d.kind.label(), d.name))
            .collect();
        Finding::new(
            Status::Warn,
            "schema drift",
            Some("direct"),
            format!(
                "{} difference(s) from what the applied migrations build: {}{}",
                diffs.len(),
                names.join(", "),
                if diffs.len() > 5 { ", …" } else { "" }
            ),
            Some("see `neonops drift`; capture with `neonops diff --from migrations --to live --write NAME`".into()),
        )
    })
}
