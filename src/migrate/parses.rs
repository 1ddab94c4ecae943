//! The migration files' parse trees, started ahead of need.
//!
//! Parsing is the one piece of a run's client time that grows with the
//! number of files (about 25 µs a file with libpg_query), and which files
//! need it is known only once the history has been read. `Parses::ahead`
//! starts a thread that parses the files newest first (pending migrations
//! are the newest ones) while the connection is being set up, which leaves
//! the client's CPU idle; when the history arrives the runner takes the
//! files it needs, parsing itself, oldest first, whatever the thread has not
//! reached yet. The thread stops as soon as the runner has what it needs, or
//! when the `Parses` is dropped (a run with nothing to do).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use crate::lint::Parsed;
use crate::sql::{ParseError, Statement};

use super::MigrationFile;

type One = Result<Vec<Statement>, ParseError>;

/// Where a run gets its files' parse trees.
pub struct Parses {
    ahead: Option<Arc<Shared>>,
}

struct Shared {
    sql: Vec<String>,
    /// Taken by whoever parses file i (the thread or the runner), once.
    claimed: Vec<AtomicBool>,
    done: Mutex<Vec<Option<One>>>,
    changed: Condvar,
    stop: AtomicBool,
    /// The thread has ended (normally or not): what it claimed and did not
    /// finish, the runner parses.
    ended: AtomicBool,
}

impl Shared {
    fn claim(&self, i: usize) -> bool {
        !self.claimed[i].swap(true, Ordering::AcqRel)
    }

    fn put(&self, i: usize, one: One) {
        self.done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(one);
        self.changed.notify_all();
    }
}

/// Marks the thread ended even when it unwinds.
struct Ended(Arc<Shared>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.ended.store(true, Ordering::Release);
        let _guard = self.0.done.lock().unwrap_or_else(|e| e.into_inner());
        self.0.changed.notify_all();
    }
}

impl Parses {
    /// Each file parsed when it is asked for, on the caller's thread (a
    /// fleet, whose workers keep the CPU busy already).
    pub fn on_demand() -> Parses {
        Parses { ahead: None }
    }

    /// Start parsing every file, newest first, on a thread of its own.
    pub fn ahead(files: &[MigrationFile]) -> Parses {
        let n = files.len();
        let shared = Arc::new(Shared {
            sql: files.iter().map(|f| f.sql.clone()).collect(),
            claimed: (0..n).map(|_| AtomicBool::new(false)).collect(),
            done: Mutex::new((0..n).map(|_| None).collect()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
            ended: AtomicBool::new(false),
        });
        let worker = Arc::clone(&shared);
        let started = std::thread::Builder::new()
            .name("parse-ahead".into())
            // The parser recurses on nested expressions: the main thread's
            // stack size, not a spawned thread's 2 MiB default.
            .stack_size(8 << 20)
            .spawn(move || {
                let ended = Ended(worker);
                let s = &ended.0;
                for i in (0..s.sql.len()).rev() {
                    if s.stop.load(Ordering::Acquire) {
                        break;
                    }
                    if s.claim(i) {
                        s.put(i, crate::sql::parse(&s.sql[i]));
                    }
                }
            });
        if started.is_err() {
            // No thread: the runner parses everything itself.
            shared.ended.store(true, Ordering::Release);
        }
        Parses {
            ahead: Some(shared),
        }
    }

    /// The parse trees of `wanted` (indices into the files, in order).
    pub fn take(&self, files: &[MigrationFile], wanted: &[usize]) -> Parsed {
        let Some(s) = &self.ahead else {
            return wanted
                .iter()
                .map(|&i| crate::sql::parse(&files[i].sql))
                .collect();
        };
        let mut mine: Vec<Option<One>> = wanted
            .iter()
            .map(|&i| s.claim(i).then(|| crate::sql::parse(&files[i].sql)))
            .collect();
        s.stop.store(true, Ordering::Release);
        let mut done = s.done.lock().unwrap_or_else(|e| e.into_inner());
        for (k, &i) in wanted.iter().enumerate() {
            while mine[k].is_none() {
                if let Some(one) = done[i].take() {
                    mine[k] = Some(one);
                } else if s.ended.load(Ordering::Acquire) {
                    // Claimed by a thread that did not finish it.
                    mine[k] = Some(crate::sql::parse(&files[i].sql));
                } else {
                    done = s.changed.wait(done).unwrap_or_else(|e| e.into_inner());
                }
            }
        }
        mine.into_iter().flatten().collect()
    }
}

impl Drop for Parses {
    fn drop(&mut self) {
        if let Some(s) = &self.ahead {
            s.stop.store(true, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(n: usize) -> Vec<MigrationFile> {
        (1..=n)
            .map(|v| {
                let sql = if v == 3 {
                    "CREATE TABLE (".to_string()
                } else {
                    format!("CREATE TABLE t{v} (id int);\nINSERT INTO t{v} VALUES ({v});\n")
                };
                MigrationFile {
                    path: format!("V{v}__t.sql").into(),
                    kind: super::super::files::Kind::Versioned,
                    version: v as i32,
                    name: "t".into(),
                    sql,
                    checksum: 0,
                    equivalent_checksums: vec![],
                    no_transaction: false,
                }
            })
            .collect()
    }

    fn texts(p: &Parsed) -> Vec<Result<Vec<String>, ParseError>> {
        p.iter()
            .map(|r| {
                r.as_ref()
                    .map(|s| s.iter().map(|s| s.text.clone()).collect())
                    .map_err(Clone::clone)
            })
            .collect()
    }

    #[test]
    fn ahead_gives_what_parsing_on_demand_gives_whatever_the_thread_reached() {
        let fs = files(60);
        let wanted: Vec<usize> = vec![0, 2, 5, 30, 58, 59];
        let expected = texts(&Parses::on_demand().take(&fs, &wanted));
        assert_eq!(expected.len(), 6);
        assert!(expected[1].is_err(), "file 3 does not parse");
        assert_eq!(
            expected[3].as_ref().unwrap()[0],
            "CREATE TABLE t31 (id int)"
        );
        for pause in [0, 1, 5] {
            let p = Parses::ahead(&fs);
            std::thread::sleep(std::time::Duration::from_millis(pause));
            assert_eq!(texts(&p.take(&fs, &wanted)), expected, "after {pause} ms");
        }
        // Everything, and nothing.
        let all: Vec<usize> = (0..fs.len()).collect();
        assert_eq!(
            texts(&Parses::ahead(&fs).take(&fs, &all)),
            texts(&Parses::on_demand().take(&fs, &all))
        );
        assert!(Parses::ahead(&fs).take(&fs, &[]).is_empty());
    }
}
