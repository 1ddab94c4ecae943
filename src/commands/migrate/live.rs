//! What a run shows as it goes: a line per migration applied (stdout), what
//! it waits for (stderr), and, on a terminal, the migration and statement
//! the server is on now with the time it has taken so far, rewritten in
//! place. `-q` leaves only the applied lines and errors; `--json` none.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::report;
use crate::migrate::run::{Event, Running};

pub(super) struct Live {
    /// On a terminal: the live line while the server runs something.
    bar: Option<std::cell::RefCell<Option<ProgressBar>>>,
    json: bool,
    quiet: bool,
}

fn bar() -> ProgressBar {
    let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template("{spinner} {msg} · {secs}")
            .expect("a valid template")
            .with_key(
                "secs",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1} s", s.elapsed().as_secs_f64());
                },
            ),
    );
    b.enable_steady_tick(Duration::from_millis(100));
    b
}

impl Live {
    pub fn new(json: bool, quiet: bool) -> Live {
        let terminal = !json && !quiet && std::io::stderr().is_terminal();
        Live {
            bar: terminal.then(Default::default),
            json,
            quiet,
        }
    }

    /// Print with the live line out of the way: it goes, and comes back
    /// with the next thing the server runs.
    fn say(&self, f: impl FnOnce()) {
        self.finish();
        f();
    }

    pub fn event(&self, e: Event) {
        if self.json {
            return;
        }
        match e {
            Event::Running(r) => {
                if let Some(cell) = &self.bar {
                    let mut b = cell.borrow_mut();
                    let b = b.get_or_insert_with(bar);
                    b.set_message(running(&r));
                    b.reset_elapsed();
                }
            }
            Event::Applied(s) => self.say(|| {
                println!(
                    "applied  V{}__{}  {} ms{}",
                    s.version,
                    s.name,
                    s.duration.as_millis(),
                    if s.transaction {
                        ""
                    } else {
                        "  (no transaction)"
                    }
                )
            }),
            _ if self.quiet => {}
            Event::Waiting(holder) => self.say(|| {
                eprintln!(
                    "waiting for the migration lock, held by {}",
                    holder
                        .map(|h| h.to_string())
                        .unwrap_or_else(|| "another session".into())
                )
            }),
            Event::Retrying {
                version,
                attempt,
                pause,
            } => self.say(|| {
                eprintln!(
                    "V{version} hit lock_timeout: nothing of it was committed; retry {attempt} in {} ms",
                    pause.as_millis()
                )
            }),
            Event::Resuming {
                version,
                statement,
                statements,
            } => self.say(|| {
                eprintln!(
                    "V{version} (no transaction) stopped part way in an earlier run: continuing at statement {statement} of {statements}"
                )
            }),
            Event::Review(a) => self.say(|| report::print_review(a)),
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
