//! What a fleet run shows: a progress bar on a terminal (a line per
//! database otherwise), then the servers' budgets and the databases.

use std::cell::Cell;
use std::fmt::Write as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use super::Kind;
use crate::fleet::{Event, Outcome, ServerReport, TargetResult};
use crate::output::{Printer, table};

/// At most this many databases are listed one per row; beyond, they are
/// grouped by version change (every one is in `--json`).
const LISTED: usize = 30;

pub struct Shown {
    printer: Printer,
    bar: Option<ProgressBar>,
    lines: bool,
    running: Cell<usize>,
    failed: Cell<usize>,
}

impl Shown {
    pub fn new(total: usize, printer: Printer) -> Shown {
        let (json, quiet) = (printer.json(), printer.quiet());
        let bar = printer.draws_progress().then(|| {
            printer.progress_bar(
                Some(total as u64),
                ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} done · {msg} · {per_sec} · ETA {eta}",
                )
                .expect("a valid template"),
                Duration::from_millis(200),
            )
        });
        Shown {
            printer,
            lines: bar.is_none() && !json && !quiet,
            bar,
            running: Cell::new(0),
            failed: Cell::new(0),
        }
    }

    fn message(&self) {
        if let Some(b) = &self.bar {
            b.set_message(format!(
                "{} failed · {} running",
                self.failed.get(),
                self.running.get()
            ));
        }
    }

    pub fn event(&self, e: Event) {
        match e {
            Event::Started(_) => {
                self.running.set(self.running.get() + 1);
                self.message();
            }
            Event::Finished(r) => {
                if r.outcome != Outcome::Skipped {
                    self.running.set(self.running.get().saturating_sub(1));
                }
                if r.outcome == Outcome::Failed {
                    self.failed.set(self.failed.get() + 1);
                }
                if let Some(b) = &self.bar {
                    b.inc(1);
                    self.message();
                } else if self.lines && r.outcome != Outcome::Skipped {
                    self.printer.out(line(r));
                }
            }
        }
    }

    /// A line was printed for each database.
    pub fn lines(&self) -> bool {
        self.lines
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

fn version(v: Option<i32>) -> String {
    v.map_or("none".into(), |v| v.to_string())
}

fn change(r: &TargetResult) -> String {
    if r.outcome == Outcome::Skipped {
        return "-".into();
    }
    if !r.known() {
        // Not reached: its history was not read.
        return "?".into();
    }
    if r.before == r.after {
        version(r.after)
    } else {
        format!("{} → {}", version(r.before), version(r.after))
    }
}

/// The database, marked when it was a canary.
fn name(r: &TargetResult) -> String {
    if r.canary {
        format!("{} (canary)", r.target)
    } else {
        r.target.clone()
    }
}

fn pending(r: &TargetResult) -> String {
    r.pending.map_or("?".into(), |p| p.to_string())
}

fn line(r: &TargetResult) -> String {
    let mut s = format!(
        "{:<7} {}  {}  {} ms",
        match r.outcome {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        },
        name(r),
        change(r),
        r.duration_ms
    );
    if let Some(p) = r.pending.filter(|&p| p > 0) {
        s.push_str(&format!("  ({p} pending)"));
    }
    if let Some(e) = &r.error {
        s.push_str(&format!("  {}", e.message));
    }
    s
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub targets: usize,
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Databases with migrations still to apply.
    pub behind: usize,
    /// Databases whose history was not read (not reached, or not started).
    pub unknown: usize,
    pub applied: usize,
    pub elapsed_ms: u64,
    /// The most connections the fleet held at once, over all servers.
    pub peak_connections: usize,
}

pub fn summary(results: &[TargetResult], servers: &[ServerReport], elapsed: Duration) -> Summary {
    let count = |o: Outcome| results.iter().filter(|r| r.outcome == o).count();
    Summary {
        targets: results.len(),
        ok: count(Outcome::Ok),
        failed: count(Outcome::Failed),
        skipped: count(Outcome::Skipped),
        behind: results.iter().filter(|r| r.behind()).count(),
        unknown: results.iter().filter(|r| !r.known()).count(),
        applied: results.iter().map(|r| r.applied).sum(),
        elapsed_ms: elapsed.as_millis() as u64,
        peak_connections: servers.iter().map(|s| s.peak).sum(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Shard {
    pub index: u32,
    pub of: u32,
    /// Targets before sharding.
    pub targets: usize,
}

/// `fleet … --json` (documented in the README).
#[derive(Serialize)]
pub struct FleetReport<'a> {
    pub ok: bool,
    pub command: &'static str,
    pub shard: Option<Shard>,
    pub summary: Summary,
    pub servers: &'a [ServerReport],
    pub targets: &'a [TargetResult],
}

/// The report: the servers, the databases, the totals line.
pub fn text(
    kind: Kind,
    results: &[TargetResult],
    servers: &[ServerReport],
    s: &Summary,
    shard: Option<&Shard>,
    lines_shown: bool,
) -> String {
    let mut out = String::new();
    servers_text(&mut out, servers);
    targets_text(&mut out, results, lines_shown);
    totals_text(&mut out, kind, servers, s, shard);
    out
}

/// Each server's limits, budget and peak; then the servers not reached.
fn servers_text(out: &mut String, servers: &[ServerReport]) {
    let mut t = table(&[
        "server",
        "databases",
        "max_connections",
        "reserved",
        "in use",
        "headroom",
        "budget",
        "peak",
    ]);
    for sv in servers {
        let l = sv.limits.as_ref();
        let n = |f: fn(&crate::fleet::Limits) -> u32| l.map_or("-".into(), |l| f(l).to_string());
        t.add_row(vec![
            sv.server.clone(),
            sv.targets.to_string(),
            n(|l| l.max_connections),
            n(|l| l.reserved),
            n(|l| l.in_use),
            n(|l| l.headroom),
            if sv.rereads > 0 {
                format!(
                    "{} (cut {} time(s): too many clients)",
                    sv.budget, sv.rereads
                )
            } else {
                sv.budget.to_string()
            },
            sv.peak.to_string(),
        ]);
    }
    let _ = writeln!(out, "{t}");
    for sv in servers {
        if let Some(e) = &sv.error {
            let _ = writeln!(out, "{}: not reached: {}", sv.server, e.message);
            if let Some(f) = &e.fix {
                let _ = writeln!(out, "  fix: {f}");
            }
        }
    }
}

/// Every database when there are few (and their lines were not shown as
/// they finished), else the version changes grouped and every failure.
fn targets_text(out: &mut String, results: &[TargetResult], lines_shown: bool) {
    let listed: Vec<&TargetResult> = if results.len() <= LISTED && !lines_shown {
        results.iter().collect()
    } else {
        results
            .iter()
            .filter(|r| r.outcome == Outcome::Failed)
            .collect()
    };
    if results.len() > LISTED {
        // Grouped: how many went from which version to which.
        let mut groups: std::collections::BTreeMap<(String, String), usize> = Default::default();
        for r in results {
            let outcome = format!("{:?}", r.outcome).to_lowercase();
            *groups.entry((outcome, change(r))).or_default() += 1;
        }
        let mut g = table(&["outcome", "version", "databases"]);
        for ((o, c), n) in groups {
            g.add_row(vec![o, c, n.to_string()]);
        }
        let _ = writeln!(out, "{g}");
    }
    if !listed.is_empty() {
        let mut t = table(&["database", "outcome", "version", "pending", "ms", "error"]);
        for r in listed {
            let mut err = r
                .error
                .as_ref()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            if let Some(f) = r.error.as_ref().and_then(|e| e.fix.as_ref()) {
                err.push_str(&format!(" · fix: {f}"));
            }
            if err.is_empty() && !r.problems.is_empty() {
                err = r.problems.join("; ");
            }
            t.add_row(vec![
                name(r),
                format!("{:?}", r.outcome).to_lowercase(),
                change(r),
                pending(r),
                r.duration_ms.to_string(),
                err,
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
}

/// The last line: how many, how fast, what happened, the connections used.
fn totals_text(
    out: &mut String,
    kind: Kind,
    servers: &[ServerReport],
    s: &Summary,
    shard: Option<&Shard>,
) {
    let secs = s.elapsed_ms as f64 / 1000.0;
    let budget: usize = servers.iter().map(|s| s.budget).sum();
    let _ = writeln!(
        out,
        "{}{} database(s) in {:.1}s ({:.0}/s): {} ok, {} failed, {} not started{}; {} migration(s) applied; peak {} connection(s), budget {}",
        shard.map_or(String::new(), |sh| format!(
            "shard {}/{} ({} of {} targets): ",
            sh.index, sh.of, s.targets, sh.targets
        )),
        s.targets,
        secs,
        s.targets as f64 / secs.max(0.001),
        s.ok,
        s.failed,
        s.skipped,
        match (kind, s.unknown) {
            (Kind::Migrate, _) => String::new(),
            (_, 0) => format!(", {} with migrations to apply", s.behind),
            (_, n) => format!(
                ", {} with migrations to apply, {n} not known (history not read)",
                s.behind
            ),
        },
        s.applied,
        s.peak_connections,
        budget
    );
}
