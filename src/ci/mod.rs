//! Reports where CI reads them: a format-neutral document built from a
//! command's `--json` report, written as Markdown (a PR comment,
//! `$GITHUB_STEP_SUMMARY`), SARIF 2.1.0 (code scanning) or JUnit XML
//! (GitLab, Jenkins, CircleCI); which migration files a change touched
//! (`--changed-since`); and the GitHub side of a pull request (one comment,
//! the step's outputs).
//!
//! The document is built from the JSON report, the documented contract of
//! each command, so that every format says what `--json` says, and a
//! report the pull-request command gathers from several steps is one more
//! document of the same shape.

mod build;
pub mod changed;
pub mod github;
mod junit;
mod markdown;
mod sarif;

pub use build::{document, finding_case};

/// What a command's report is: which builder reads its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Lint,
    /// `migrate`: a plan, a run, a rehearsal (the JSON says which).
    Migrate,
    Status,
    Validate,
    Drift,
    Diff,
    Doctor,
    Check,
    /// `neonops ci`: the steps' reports, each of its own kind.
    Ci,
    /// An error before any report (`{ok:false, error}` or `{problems}`).
    Error,
}

impl Kind {
    pub fn command(self) -> &'static str {
        match self {
            Kind::Lint => "lint",
            Kind::Migrate => "migrate",
            Kind::Status => "status",
            Kind::Validate => "validate",
            Kind::Drift => "drift",
            Kind::Diff => "diff",
            Kind::Doctor => "doctor",
            Kind::Check => "check",
            Kind::Ci => "ci",
            Kind::Error => "error",
        }
    }
}

/// The formats for CI (besides the table and `--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// GitHub-flavoured Markdown: a PR comment or the step summary
    Markdown,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// JUnit XML: each check or file a test case
    Junit,
}

/// How serious a case is (SARIF's levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing to say (a passed check).
    None,
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A place in a file (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// One check, finding or file: a JUnit test case, a SARIF result when it
/// has a level, a row of the Markdown.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// The rule it is an instance of (SARIF `ruleId`).
    pub rule: String,
    pub level: Level,
    /// Counts against the report (a JUnit failure).
    pub failed: bool,
    pub skipped: bool,
    pub message: String,
    /// More text: the fix, the safe alternative, what was measured.
    pub detail: Option<String>,
    pub at: Option<At>,
    pub time_ms: Option<f64>,
}

impl Case {
    pub fn passed(name: impl Into<String>, rule: impl Into<String>) -> Case {
        Case {
            name: name.into(),
            rule: rule.into(),
            level: Level::None,
            failed: false,
            skipped: false,
            message: String::new(),
            detail: None,
            at: None,
            time_ms: None,
        }
    }
}

/// A rule a case can name, with its help (SARIF `tool.driver.rules`).
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub short: String,
    pub help: String,
}

/// A table of the Markdown.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A part of a report: a step of the pull-request command, or a command's
/// whole report.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub ok: bool,
    /// Paragraphs, Markdown.
    pub lines: Vec<String>,
    pub grid: Option<Grid>,
    /// A fenced block: (language, text), e.g. the SQL of a diff.
    pub code: Option<(String, String)>,
    pub cases: Vec<Case>,
    pub time_ms: Option<f64>,
}

impl Section {
    pub fn new(name: impl Into<String>) -> Section {
        Section {
            name: name.into(),
            ok: true,
            lines: Vec::new(),
            grid: None,
            code: None,
            cases: Vec::new(),
            time_ms: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub ok: bool,
    pub sections: Vec<Section>,
    pub rules: Vec<Rule>,
}

impl Document {
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Markdown => markdown::render(self),
            Format::Sarif => sarif::render(self),
            Format::Junit => junit::render(self),
        }
    }

    /// Every case, with its section.
    pub fn cases(&self) -> impl Iterator<Item = (&Section, &Case)> {
        self.sections
            .iter()
            .flat_map(|s| s.cases.iter().map(move |c| (s, c)))
    }

    /// A rule's entry, added once.
    pub fn rule(&mut self, id: &str, short: &str, help: &str) {
        if !self.rules.iter().any(|r| r.id == id) {
            self.rules.push(Rule {
                id: id.to_string(),
                short: short.to_string(),
                help: help.to_string(),
            });
        }
    }
}

/// The document of a command's JSON report, in a format.
pub fn render(kind: Kind, report: &serde_json::Value, format: Format) -> String {
    document(kind, report).render(format)
}

#[cfg(test)]
mod tests;
