//! A simple-query message that carries migrations: its text, where each
//! file's SQL is in it (the server gives an error's position in the
//! message), and the marker rows that say how far the server got. The
//! server stops a message at its first error, and sends a message's results
//! when the message is over, so each migration's duration is taken from
//! the server's clock in its marker.

use std::ops::Range;
use std::time::Duration;

use futures_util::StreamExt;
use tokio_postgres::{Error, SimpleQueryMessage, SimpleQueryStream};

use super::MigrationFile;

/// The first column of a marker row: the version of the migration done
/// before it (NULL at the start of a message); the second is the server's
/// clock.
const MARK: &str = "neonops_done";
/// The first column of the row a migration's history INSERT returns (the
/// same columns as a marker's): the migration is done once the two
/// commands after it, the INSERT and the COMMIT, are complete. One
/// statement fewer a migration than a marker after the COMMIT.
const COMMITTING: &str = "neonops_committing";

pub(super) struct Message {
    pub text: String,
    /// Which of the batch's migrations it carries.
    pub files: Range<usize>,
    /// Where each one's SQL is in the text, in characters counted from 1
    /// (as the server counts an error's position).
    spans: Vec<Range<usize>>,
    /// Where each span starts in its file, in characters (0 for a whole
    /// file; a statement's offset for a part).
    offsets: Vec<usize>,
    chars: usize,
    /// A part of one migration: its statement (1-based) of how many, and the
    /// statement's first words. A slow file with several statements goes
    /// one statement a message, so that the running statement is known.
    pub part: Option<Part>,
}

/// One statement of a migration sent as a message of its own.
#[derive(Debug, Clone)]
pub(super) struct Part {
    pub statement: usize,
    pub statements: usize,
    pub head: String,
}

/// A migration of the batch failed.
pub(super) struct Failed {
    /// Which one, in the batch.
    pub index: usize,
    pub error: Error,
    /// The error's line and column in the file, when the server gives one.
    pub at: Option<(usize, usize)>,
}

impl Message {
    /// A message whose first migration is the batch's `first`.
    pub fn new(first: usize) -> Message {
        Message {
            text: String::new(),
            files: first..first,
            spans: Vec::new(),
            offsets: Vec::new(),
            chars: 0,
            part: None,
        }
    }

    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.chars += s.chars().count();
    }

    /// The next migration's SQL.
    pub fn push_file(&mut self, sql: &str) {
        self.push_part(sql, 0);
    }

    /// The next migration's SQL, or one statement of it that starts at
    /// character `offset` of its file.
    pub fn push_part(&mut self, sql: &str, offset: usize) {
        let from = self.chars + 1;
        self.push(sql);
        self.spans.push(from..self.chars + 1);
        self.offsets.push(offset);
        self.files.end += 1;
    }

    /// A marker row: the migration `version` is done (None: the start).
    pub fn push_mark(&mut self, version: Option<i32>) {
        let v = version.map_or("NULL".to_string(), |v| v.to_string());
        self.push(&format!(
            "SELECT {v}::int4 AS {MARK}, extract(epoch FROM clock_timestamp())::text;\n"
        ));
    }

    /// What a migration's history INSERT returns: the row that tells the
    /// reader that the COMMIT after it ends the migration.
    pub fn committing_returning() -> String {
        format!(" RETURNING version AS {COMMITTING}, extract(epoch FROM clock_timestamp())::text")
    }

    /// The migration's history row (an INSERT, or the EXECUTE of one,
    /// returning `committing_returning()`), then its COMMIT: the migration
    /// is done when the COMMIT is complete.
    pub fn push_insert_and_commit(&mut self, insert: &str) {
        self.push(insert);
        self.push(";\nCOMMIT;\n");
    }

    /// The migration an error is in: by the error's position when the
    /// server gives one (a syntax error in a later file stops the message
    /// before anything in it runs), else the first not done.
    pub fn failed(&self, batch: &[&MigrationFile], done: usize, error: Error) -> Failed {
        let located = match error.as_db_error().and_then(|d| d.position()) {
            Some(tokio_postgres::error::ErrorPosition::Original(p)) => {
                let p = *p as usize;
                self.spans.iter().position(|s| s.contains(&p)).map(|j| {
                    let f = batch[self.files.start + j];
                    let byte = f
                        .sql
                        .char_indices()
                        .nth(p - self.spans[j].start + self.offsets[j])
                        .map_or(f.sql.len(), |(b, _)| b);
                    (self.files.start + j, crate::sql::line_column(&f.sql, byte))
                })
            }
            _ => None,
        };
        Failed {
            index: located.map_or(self.files.start + done, |(j, _)| j),
            at: located.map(|(_, at)| at),
            error,
        }
    }

    /// Read the answer up to its first error (the server runs nothing
    /// after it, and a lost connection answers every read with an error):
    /// `done` gets each migration done, counted from 0 in this message, and
    /// its duration. How many were done, and the error.
    pub async fn read(
        &self,
        answer: Result<SimpleQueryStream, Error>,
        clock: &mut Option<f64>,
        mut done: impl FnMut(usize, Duration),
    ) -> (usize, Option<Error>) {
        let stream = match answer {
            Ok(s) => s,
            Err(e) => return (0, Some(e)),
        };
        let mut stream = std::pin::pin!(stream);
        // The clock runs on from the message before: a migration sent in
        // parts starts in the first part's message.
        let mut count = 0;
        // A history row returned, and how many commands completed since.
        let mut committing: Option<(Option<f64>, u8)> = None;
        let mut finish = |clock: &mut Option<f64>, now: Option<f64>| {
            done(
                count,
                match (*clock, now) {
                    (Some(a), Some(b)) if b >= a => Duration::from_secs_f64(b - a),
                    _ => Duration::ZERO,
                },
            );
            count += 1;
            *clock = now;
        };
        while let Some(item) = stream.next().await {
            match item {
                Ok(SimpleQueryMessage::Row(r)) => {
                    // A migration's own rows are anything: only the
                    // markers' first column is looked at before their second.
                    let name = r.columns().first().map(|c| c.name());
                    if name != Some(COMMITTING) && name != Some(MARK) {
                        continue;
                    }
                    let now: Option<f64> = r.try_get(1).ok().flatten().and_then(|t| t.parse().ok());
                    if name == Some(COMMITTING) {
                        committing = Some((now, 0));
                    } else if r.get(0).is_some() {
                        finish(clock, now);
                    } else {
                        *clock = now;
                    }
                }
                Ok(SimpleQueryMessage::CommandComplete(_)) => {
                    if let Some((now, seen)) = committing.as_mut() {
                        *seen += 1;
                        if *seen == 2 {
                            let now = *now;
                            committing = None;
                            finish(clock, now);
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => return (count, Some(e)),
            }
        }
        (count, None)
    }
}
