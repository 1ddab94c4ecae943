//! The safety analysis of the migrations a run applies: PostgreSQL's parser
//! on the pending files only (a run with nothing to apply reads nothing),
//! with the database's own sizes and version.

use tokio_postgres::Client;

use super::MigrationFile;
use crate::lint::{self, Analysis, LintFile, Severity};

/// What a run does with the analysis.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// Analyse the pending files at all (not for `--fake`).
    pub enabled: bool,
    pub settings: lint::Settings,
    /// Refuse to apply when a finding at this level is not allowed (a
    /// protected environment without `--allow-risky`).
    pub refuse_at: Option<Severity>,
}

impl MigrationFile {
    pub fn lint_file(&self) -> LintFile<'_> {
        LintFile {
            name: self.path.display().to_string(),
            sql: &self.sql,
            no_transaction: self.no_transaction,
        }
    }
}

/// Analyse these files (in order) against the database.
pub async fn analyze(
    client: &Client,
    files: &[&MigrationFile],
    settings: &lint::Settings,
) -> Result<Analysis, tokio_postgres::Error> {
    let lint_files: Vec<LintFile> = files.iter().map(|f| f.lint_file()).collect();
    lint::analyze_with_database(client, &lint_files, settings).await
}

/// `analyze`, with the files already parsed.
pub async fn analyze_prepared(
    client: &Client,
    files: &[&MigrationFile],
    prepared: lint::Prepared,
    settings: &lint::Settings,
) -> Result<Analysis, tokio_postgres::Error> {
    let lint_files: Vec<LintFile> = files.iter().map(|f| f.lint_file()).collect();
    prepared.analyze(client, &lint_files, settings).await
}

/// The analysis prepared to travel ahead of the migrations: its query goes
/// in the same round trip, and the server answers it before it runs the
/// first migration. Only for a run the analysis cannot stop.
pub struct Ahead<'a> {
    files: Vec<LintFile<'a>>,
    prepared: lint::Prepared,
    settings: &'a lint::Settings,
}

impl<'a> Ahead<'a> {
    pub fn new(
        files: &[&'a MigrationFile],
        prepared: lint::Prepared,
        settings: &'a lint::Settings,
    ) -> Ahead<'a> {
        let files: Vec<LintFile> = files.iter().map(|f| f.lint_file()).collect();
        Ahead {
            files,
            prepared,
            settings,
        }
    }

    pub fn sql(&self) -> String {
        self.prepared.facts_sql()
    }

    /// The analysis, from the rows of each statement of the answer.
    pub fn finish(&self, sets: Vec<Vec<Vec<String>>>) -> Analysis {
        self.prepared.finish_sets(&self.files, sets, self.settings)
    }
}

/// The findings that make a run refuse.
pub fn refusing<'a>(review: &Review, analysis: &'a Analysis) -> Vec<&'a lint::Finding> {
    match review.refuse_at {
        Some(level) => analysis.failing(level).collect(),
        None => Vec::new(),
    }
}
