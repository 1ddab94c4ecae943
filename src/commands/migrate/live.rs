//! What a run shows as it goes: a line per migration applied (stdout), what
//! it waits for (stderr), and, on a terminal, the migration and statement
//! the server is on now with the time it has taken so far, rewritten in
//! place. `-q` leaves only the applied lines and errors; `--json` none.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::report;
use crate::migrate::run::{Event, Running};
use crate::output::Printer;

pub(super) struct Live {
    /// On a terminal: the live line while the server runs something.
    bar: Option<std::cell::RefCell<Option<ProgressBar>>>,
    printer: Printer,
}

fn bar(printer: Printer) -> ProgressBar {
    printer.progress_bar(
        None,
        ProgressStyle::with_template("{spinner} {msg} · {secs}")
            .expect("a valid template")
            .with_key(
                "secs",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1} s", s.elapsed().as_secs_f64());
                },
            ),
        Duration::from_millis(100),
    )
}

impl Live {
    pub fn new(printer: Printer) -> Live {
        let terminal = !printer.json() && printer.draws_progress();
        Live {
            bar: terminal.then(Default::default),
            printer,
        }
    }

    /// Print with the live line out of the way: it goes, and comes back
    /// with the next thing the server runs.
    fn say(&self, f: impl FnOnce()) {
        self.finish();
        f();
    }

    pub fn event(&self, e: Event) {
        let p = self.printer;
        if p.json() {
            return;
        }
        match e {
            Event::Running(r) => {
                if let Some(cell) = &self.bar {
                    let mut b = cell.borrow_mut();
                    let b = b.get_or_insert_with(|| bar(p));
                    b.set_message(running(&r));
                    b.reset_elapsed();
                }
            }
            Event::Applied(s) => self.say(|| {
                p.out(format!(
                    "applied  V{}__{}  {} ms{}",
                    s.version,
                    s.name,
                    s.duration.as_millis(),
                    if s.transaction {
                        ""
                    } else {
                        "  (no transaction)"
                    }
                ))
            }),
            _ if p.quiet() => {}
            Event::Waiting(holder) => self.say(|| {
                p.note(format!(
                    "waiting for the migration lock, held by {}",
                    holder
                        .map(|h| h.to_string())
                        .unwrap_or_else(|| "another session".into())
                ))
            }),
            Event::Retrying {
                version,
                attempt,
                pause,
            } => self.say(|| {
                p.note(format!(
                    "V{version} hit lock_timeout: nothing of it was committed; retry {attempt} in {} ms",
                    pause.as_millis()
                ))
            }),
            Event::Resuming {
                version,
                statement,
                statements,
            } => self.say(|| {
                p.note(format!(
                    "V{version} (no transaction) stopped part way in an earlier run: continuing at statement {statement} of {statements}"
                ))
            }),
            Event::Review(a) => self.say(|| p.note(report::review_text(a).trim_end())),
        }
    }

    /// The live line goes.
    pub fn finish(&self) {
        if let Some(b) = self.bar.as_ref().and_then(|c| c.borrow_mut().take()) {
            b.finish_and_clear();
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `running V7__slow · statement 2 of 3: UPDATE orders SET …`
fn running(r: &Running) -> String {
    let mut s = format!("running V{}__{}", r.version, r.name);
    if let Some(last) = r.last {
        s = format!("running V{}…V{last} (quick migrations)", r.version);
    }
    match r.part {
        Some((1, 1, head)) => s.push_str(&format!(": {head}")),
        Some((k, n, head)) => s.push_str(&format!(" · statement {k} of {n}: {head}")),
        None => {}
    }
    s
}
