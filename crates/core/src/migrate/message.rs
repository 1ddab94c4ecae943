//! A simple-query message that carries migrations: its text, where each
//! file's SQL is in it (the server gives an error's position in the
//! message), and the marker rows that say how far the server got. The
//! server stops a message at its first error, and sends a message's results
//! when the message is over, so each migration's duration is taken from
//! the server's clock in its marker.

use std::ops::Range;
use std::time::Duration;

use futures_util::{Stream, StreamExt};

use super::MigrationFile;
use super::session::{Reply, ServerError};

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
    pub error: ServerError,
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
    pub fn failed(&self, batch: &[&MigrationFile], done: usize, error: ServerError) -> Failed {
        let located = match error.position {
            Some(p) => self.spans.iter().position(|s| s.contains(&p)).map(|j| {
                let f = batch[self.files.start + j];
                let byte = f
                    .sql
                    .char_indices()
                    .nth(p - self.spans[j].start + self.offsets[j])
                    .map_or(f.sql.len(), |(b, _)| b);
                (self.files.start + j, crate::sql::line_column(&f.sql, byte))
            }),
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
        answer: impl Stream<Item = Result<Reply, ServerError>>,
        clock: &mut Option<f64>,
        mut done: impl FnMut(usize, Duration),
    ) -> (usize, Option<ServerError>) {
        let mut stream = std::pin::pin!(answer);
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
                Ok(Reply::Row {
                    first_column,
                    values,
                }) => {
                    // A migration's own rows are anything: only the
                    // markers' first column is looked at before their second.
                    let name = first_column.as_deref();
                    if name != Some(COMMITTING) && name != Some(MARK) {
                        continue;
                    }
                    let now: Option<f64> = values
                        .get(1)
                        .cloned()
                        .flatten()
                        .and_then(|t| t.parse().ok());
                    if name == Some(COMMITTING) {
                        committing = Some((now, 0));
                    } else if values.first().is_some_and(Option::is_some) {
                        finish(clock, now);
                    } else {
                        *clock = now;
                    }
                }
                Ok(Reply::Complete) => {
                    if let Some((now, seen)) = committing.as_mut() {
                        *seen += 1;
                        if *seen == 2 {
                            let now = *now;
                            committing = None;
                            finish(clock, now);
                        }
                    }
                }
                Err(e) => return (count, Some(e)),
            }
        }
        (count, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::SqlState;
    use crate::migrate::session::scripted::{complete, refused, row, stream};
    use crate::migrate::testing::file;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn mark(version: Option<&str>, clock: &str) -> Result<Reply, ServerError> {
        row(MARK, &[version, Some(clock)])
    }

    fn committing(version: &str, clock: &str) -> Result<Reply, ServerError> {
        row(COMMITTING, &[Some(version), Some(clock)])
    }

    #[test]
    fn a_migration_is_done_when_the_commit_after_its_history_row_completes() {
        let m = Message::new(0);
        // mark; BEGIN; sql; INSERT … RETURNING; COMMIT — twice.
        let replies = vec![
            mark(None, "100.0"),
            complete(),
            complete(),
            row("id", &[Some("7")]),
            complete(),
            committing("1", "100.5"),
            complete(),
            complete(),
            complete(),
            complete(),
            committing("2", "101.75"),
            complete(),
            complete(),
        ];
        let mut seen = Vec::new();
        let mut clock = None;
        let (n, e) = block_on(m.read(stream(replies), &mut clock, |k, d| seen.push((k, d))));
        assert!(e.is_none());
        assert_eq!(n, 2);
        assert_eq!(
            seen,
            [
                (0, Duration::from_millis(500)),
                (1, Duration::from_millis(1250))
            ]
        );
        // The clock runs on into the next message (a file sent in parts).
        assert_eq!(clock, Some(101.75));
    }

    #[test]
    fn a_history_row_without_its_commit_is_not_done() {
        let m = Message::new(0);
        let replies = vec![
            mark(None, "1.0"),
            complete(),
            committing("1", "2.0"),
            complete(),
            Err(refused(
                SqlState::InternalError,
                "deferred constraint failed",
                None,
            )),
        ];
        let (n, e) = block_on(m.read(stream(replies), &mut None, |_, _| {}));
        assert_eq!(n, 0);
        assert_eq!(e.unwrap().message, "deferred constraint failed");
    }

    #[test]
    fn an_error_is_put_in_its_file_at_its_line_and_column() {
        let a = file(1, "a", "CREATE TABLE a (id int);\n");
        let b = file(2, "b", "CREATE TABLE b (id int);\nSELEC 1;\n");
        let batch = [&a, &b];
        let mut m = Message::new(0);
        m.push("BEGIN;\n");
        m.push_file(&a.sql);
        m.push("COMMIT;\nBEGIN;\n");
        m.push_file(&b.sql);
        // The server counts characters from 1: where SELEC is.
        let at = m.text.find("SELEC").unwrap() + 1;
        let f = m.failed(
            &batch,
            0,
            refused(SqlState::InternalError, "syntax", Some(at)),
        );
        assert_eq!((f.index, f.at), (1, Some((2, 1))));
        // No position: the first migration not done.
        let f = m.failed(&batch, 1, refused(SqlState::InternalError, "x", None));
        assert_eq!((f.index, f.at), (1, None));
        // A part (one statement of a file) keeps the file's lines.
        let mut p = Message::new(1);
        p.push("SELECT 1;\n");
        let offset = b.sql.find("SELEC").unwrap();
        p.push_part("SELEC 1", offset);
        let at = p.text.rfind("SELEC").unwrap() + 3;
        let f = p.failed(
            &batch,
            0,
            refused(SqlState::InternalError, "syntax", Some(at)),
        );
        assert_eq!((f.index, f.at), (1, Some((2, 3))));
    }
}
