//! Migrations: files (refinery's names and checksums), the history table
//! (refinery's layout), how the two compare, and the runner.

mod apply;
pub mod files;
pub mod history;
mod message;
pub mod model;
pub mod no_transaction;
pub mod rehearse;
pub mod review;
pub mod run;
pub mod session;

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

/// Migration files for unit tests, without a directory.
#[cfg(test)]
pub(crate) mod testing {
    use super::MigrationFile;
    use super::files::Kind;

    pub fn file(version: i32, name: &str, sql: &str) -> MigrationFile {
        use std::hash::{Hash, Hasher};
        let mut h = siphasher::sip::SipHasher13::new();
        name.hash(&mut h);
        version.hash(&mut h);
        sql.hash(&mut h);
        MigrationFile {
            path: format!("migrations/V{version}__{name}.sql").into(),
            kind: Kind::Versioned,
            version,
            name: name.to_string(),
            sql: sql.to_string(),
            checksum: h.finish(),
            equivalent_checksums: Vec::new(),
            no_transaction: super::files::is_no_transaction(sql),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::file;
    use super::*;

    fn applied(f: &MigrationFile) -> Applied {
        Applied {
            version: f.version,
            name: f.name.clone(),
            applied_on: "2026-12-02T00:00:00.000000Z".into(),
            checksum: f.checksum,
        }
    }

    fn states(c: &Comparison) -> Vec<(i32, State)> {
        c.entries.iter().map(|e| (e.version, e.state)).collect()
    }

    #[test]
    fn the_history_against_the_files() {
        let files = [
            file(1, "a", "CREATE TABLE a (id int);"),
            file(2, "b", "CREATE TABLE b (id int);"),
            file(3, "c", "CREATE TABLE c (id int);"),
        ];
        // A fresh database: everything pending, in order.
        let c = compare(&files, &[]);
        assert_eq!(c.pending, [0, 1, 2]);
        assert!(c.problems.is_empty());
        // Applied up to 2: one pending.
        let c = compare(&files, &[applied(&files[0]), applied(&files[1])]);
        assert_eq!(
            states(&c),
            [
                (1, State::Applied),
                (2, State::Applied),
                (3, State::Pending)
            ]
        );
        assert_eq!(c.pending, [2]);
        // An edited file, a renamed one, a missing one, a late one: each a
        // problem, each named, nothing else pending because of them.
        let edited = file(1, "a", "CREATE TABLE a (id bigint);");
        let renamed = file(2, "bee", "CREATE TABLE b (id int);");
        let late = file(2, "b", "CREATE TABLE b (id int);");
        let c = compare(
            &[edited.clone(), renamed.clone()],
            &[applied(&files[0]), applied(&files[1]), applied(&files[2])],
        );
        assert_eq!(
            states(&c),
            [
                (1, State::Divergent),
                (2, State::Divergent),
                (3, State::Missing)
            ]
        );
        assert_eq!(c.problems.len(), 3);
        assert!(
            c.problems[0]
                .message
                .contains("changed after it was applied")
        );
        assert!(c.problems[1].message.contains("applied as \"b\""));
        assert!(c.problems[2].message.contains("its file is gone"));
        let c = compare(
            &[files[0].clone(), late, files[2].clone()],
            &[applied(&files[0]), applied(&files[2])],
        );
        assert_eq!(states(&c)[1], (2, State::OutOfOrder));
        assert!(c.pending.is_empty());
        assert!(
            c.problems[0]
                .message
                .contains("older than the newest applied version 3")
        );
    }

    #[test]
    fn a_file_whose_only_change_is_its_line_endings_is_not_divergent() {
        let lf = file(1, "a", "CREATE TABLE a (id int);\nSELECT 1;\n");
        let mut crlf = file(1, "a", "CREATE TABLE a (id int);\r\nSELECT 1;\r\n");
        crlf.equivalent_checksums.push(lf.checksum);
        let c = compare(&[crlf], &[applied(&lf)]);
        assert_eq!(states(&c), [(1, State::Applied)]);
    }
}
