//! Migrations: files (refinery's names and checksums), the history table
//! (refinery's layout), how the two compare, and the runner.

mod apply;
pub mod files;
pub mod history;
mod message;
pub mod no_transaction;
pub mod review;
pub mod run;

use serde::Serialize;
use tokio_postgres::SimpleQueryMessage;

pub use files::{MigrationFile, Problem};
pub use history::{Table, TableNameError};

/// A row of the history table.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub version: i32,
    pub name: String,
    pub applied_on: String,
    pub checksum: u64,
}

/// Read history rows; a damaged row is a problem, never a panic.
pub fn parse_history(
    table: &Table,
    messages: &[SimpleQueryMessage],
) -> Result<Vec<Applied>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for m in messages {
        let SimpleQueryMessage::Row(r) = m else {
            continue;
        };
        let text = |i: usize| r.get(i).unwrap_or("").to_string();
        let version = text(0);
        let subject = format!("{} row version={version}", table.name);
        let Ok(v) = version.parse::<i32>() else {
            problems.push(Problem {
                line: None,
                column: None,
                subject,
                message: "the version is not a number".into(),
            });
            continue;
        };
        let checksum = text(3);
        let Ok(c) = checksum.parse::<u64>() else {
            problems.push(Problem {
 line: None,
 column: None,
                subject,
                message: format!(
                    "the checksum {checksum:?} is not a number: the history table is damaged; restore the row from a backup or delete it and re-run with --fake --target {v}"
                ),
            });
            continue;
        };
        out.push(Applied {
            version: v,
            name: text(1),
            applied_on: text(2),
            checksum: c,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Applied,
    Pending,
    /// The file changed after it was applied.
    Divergent,
    /// Applied, but the file is gone.
    Missing,
    /// Not applied, but older than the newest applied version.
    OutOfOrder,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub version: i32,
    pub name: String,
    pub state: State,
    pub applied_on: Option<String>,
    pub file: Option<String>,
    pub no_transaction: bool,
}

/// Files against history.
#[derive(Debug, Default)]
pub struct Comparison {
    pub entries: Vec<Entry>,
    /// Indices into the files, in the order they would be applied.
    pub pending: Vec<usize>,
    pub problems: Vec<Problem>,
}

pub fn compare(files: &[MigrationFile], applied: &[Applied]) -> Comparison {
    let mut c = Comparison::default();
    let newest = applied.iter().map(|a| a.version).max();
    for a in applied {
        match files.iter().find(|f| f.version == a.version) {
            None => {
                c.problems.push(Problem {
 line: None,
 column: None,
                    subject: format!("version {} ({})", a.version, a.name),
                    message: "applied, but its file is gone: restore the file (migrations are never deleted once applied)".into(),
                });
                c.entries.push(Entry {
                    version: a.version,
                    name: a.name.clone(),
                    state: State::Missing,
                    applied_on: Some(a.applied_on.clone()),
                    file: None,
                    no_transaction: false,
                });
            }
            Some(f) => {
                let same = f.name == a.name && f.matches_checksum(a.checksum);
                if !same {
                    c.problems.push(Problem {
 line: None,
 column: None,
                        subject: f.path.display().to_string(),
                        message: if f.name != a.name {
                            format!("applied as \"{}\" but the file is named \"{}\": rename it back", a.name, f.name)
                        } else {
                            "changed after it was applied (checksum differs): revert the edit and put the change in a new migration".into()
                        },
                    });
                }
                c.entries.push(Entry {
                    version: a.version,
                    name: a.name.clone(),
                    state: if same {
                        State::Applied
                    } else {
                        State::Divergent
                    },
                    applied_on: Some(a.applied_on.clone()),
                    file: Some(f.path.display().to_string()),
                    no_transaction: f.no_transaction,
                });
            }
        }
    }
    for (i, f) in files.iter().enumerate() {
        if applied.iter().any(|a| a.version == f.version) {
            continue;
        }
        let late = f.kind == files::Kind::Versioned && newest.is_some_and(|n| f.version < n);
        if late {
            c.problems.push(Problem {
 line: None,
 column: None,
                subject: f.path.display().to_string(),
                message: format!(
                    "not applied, but older than the newest applied version {}: give it a version above {}",
                    newest.unwrap_or_default(),
                    newest.unwrap_or_default()
                ),
            });
        } else {
            c.pending.push(i);
        }
        c.entries.push(Entry {
            version: f.version,
            name: f.name.clone(),
            state: if late {
                State::OutOfOrder
            } else {
                State::Pending
            },
            applied_on: None,
            file: Some(f.path.display().to_string()),
            no_transaction: f.no_transaction,
        });
    }
    c.entries.sort_by_key(|e| e.version);
    c
}
