//! The migrations, as seen from the direct endpoint: files against history.

use tokio_postgres::Client;

use super::{Finding, Status};
use crate::migrate::{self, run as mrun};
use crate::settings::Settings;

pub(super) async fn migration_findings(settings: &Settings, client: &Client) -> Vec<Finding> {
    let dir = &settings.config.migrations.dir;
    if !dir.is_dir() {
        return vec![Finding::new(
            Status::Info,
            "migrations",
            Some("direct"),
            format!("no migrations directory at {}", dir.display()),
            None,
        )];
    }
    let files = match migrate::files::load(dir) {
        Ok(f) => f,
        Err(problems) => {
            return problems
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
        }
    };
    let Ok(table) = migrate::Table::new(&settings.config.migrations.table) else {
        return Vec::new();
    };
    match mrun::plan(client, &files, table).await {
        Err(e) => vec![Finding::new(
            Status::Fail,
            "migrations",
            Some("direct"),
            e.to_string(),
            None,
        )],
        Ok(out) => {
            let mut f: Vec<Finding> = out
                .comparison
                .problems
                .iter()
                .map(|p| {
                    Finding::new(
                        Status::Fail,
                        "migrations",
                        Some("direct"),
                        p.to_string(),
                        Some("see `neonops status`".into()),
                    )
                })
                .collect();
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
            f
        }
    }
}
