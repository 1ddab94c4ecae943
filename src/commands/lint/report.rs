//! Reports of an analysis: a table, JSON and GitHub annotations.

use crate::annotation::{Annotation, Level};
use std::fmt::Write;

use serde::Serialize;

use crate::lint::Claim;
use crate::lint::trace::Trace;
use crate::lint::{Analysis, Finding, Severity};
use crate::output::table;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub statements: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub allowed: usize,
    pub parse_errors: usize,
    pub elapsed_ms: f64,
}

impl Summary {
    /// The counts as one line: every kind, parse errors included.
    pub fn line(&self) -> String {
        format!(
            "{} error(s), {} warning(s), {} info, {} allowed, {} parse error(s), in {} statement(s) of {} file(s)",
            self.errors,
            self.warnings,
            self.info,
            self.allowed,
            self.parse_errors,
            self.statements,
            self.files
        )
    }
}

pub fn summary(a: &Analysis, elapsed: std::time::Duration) -> Summary {
    let count = |s: Severity| {
        a.findings
            .iter()
            .filter(|f| f.allowed.is_none() && f.severity == s)
            .count()
    };
    Summary {
        files: a.files,
        statements: a.statements,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        info: count(Severity::Info),
        allowed: a.findings.iter().filter(|f| f.allowed.is_some()).count(),
        parse_errors: a.parse_errors.len(),
        elapsed_ms: (elapsed.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
    }
}

/// The lock column: `SHARE on orders (blocks writes) for the index build`.
pub fn lock_text(f: &Finding) -> String {
    match &f.lock {
        Some(l) => {
            let mut t = format!("{} on {}", l.mode.name(), l.table);
            let others: Vec<String> = f
                .locks
                .iter()
                .filter(|c| c.table != l.table)
                .map(|c| format!("{} on {}", c.mode.name(), c.table))
                .collect();
            if !others.is_empty() {
                t.push_str(&format!(" + {}", others.join(", ")));
            }
            if f.cascades {
                t.push_str(" + ACCESS EXCLUSIVE on what depends on it (CASCADE)");
            }
            t.push_str(&format!("; blocks {}", l.mode.blocks()));
            if !f.held.is_empty() {
                t.push_str(&format!(", {}", f.held));
            }
            t
        }
        None => String::new(),
    }
}

/// One block per finding: where, the statement, its lock, why, the safe way.
pub fn findings_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    let w = &mut out;
    for f in findings {
        let allowed = if f.allowed.is_some() {
            " (allowed)"
        } else {
            ""
        };
        let _ = writeln!(
            w,
            "{}{allowed}  {}:{}:{}  {}",
            f.severity.as_str(),
            f.file,
            f.line,
            f.column,
            f.rule
        );
        let _ = writeln!(w, "  {}", f.statement);
        if f.lock.is_some() {
            let _ = writeln!(w, "  lock: {}", lock_text(f));
        }
        let _ = writeln!(w, "  {}", f.message);
        if let Some(alt) = &f.safe_alternative {
            let _ = writeln!(w, "  safe:");
            for l in alt.lines() {
                let _ = writeln!(w, "    {l}");
            }
        }
        if let Some(why) = &f.allowed {
            let _ = writeln!(w, "  allowed: {why}");
        }
        let _ = writeln!(w);
    }
    out
}

/// The table report: the findings, a count by rule, parse errors, the summary.
pub fn table_text(a: &Analysis, s: &Summary) -> String {
    let mut out = findings_text(&a.findings);
    if !a.findings.is_empty() {
        let mut t = table(&["rule", "errors", "warnings", "info", "allowed"]);
        let mut rules: Vec<crate::lint::Rule> = a.findings.iter().map(|f| f.rule).collect();
        rules.sort_unstable();
        rules.dedup();
        for r in rules {
            let n = |sev: Option<Severity>| {
                a.findings
                    .iter()
                    .filter(|f| f.rule == r)
                    .filter(|f| match sev {
                        Some(s) => f.allowed.is_none() && f.severity == s,
                        None => f.allowed.is_some(),
                    })
                    .count()
                    .to_string()
            };
            t.add_row(vec![
                r.to_string(),
                n(Some(Severity::Error)),
                n(Some(Severity::Warning)),
                n(Some(Severity::Info)),
                n(None),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    for (file, e) in a.parse_error_files.iter().zip(&a.parse_errors) {
        let _ = writeln!(
            out,
            "{file}:{}:{}: PostgreSQL's parser rejects it: {}",
            e.line, e.column, e.message
        );
    }
    let _ = write!(out, "{} ({} ms)", s.line(), s.elapsed_ms);
    out
}

/// GitHub workflow annotations at file:line:column.
pub fn github_text(a: &Analysis, s: &Summary) -> String {
    let mut out = String::new();
    for f in a.findings.iter().filter(|f| f.allowed.is_none()) {
        let level = match f.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Notice,
        };
        let mut m = format!("{} ({})", f.message, lock_text(f));
        if let Some(alt) = &f.safe_alternative {
            m.push_str(&format!("\nsafe: {alt}"));
        }
        let title = format!("neonops lint: {}", f.rule);
        let a = Annotation::new(level, &title, &m).at(Some(&f.file), Some(f.line), Some(f.column));
        let _ = writeln!(out, "{a}");
    }
    for (file, e) in a.parse_error_files.iter().zip(&a.parse_errors) {
        let a = Annotation::new(Level::Error, "neonops lint: syntax", &e.message).at(
            Some(file),
            Some(e.line),
            Some(e.column),
        );
        let _ = writeln!(out, "{a}");
    }
    let _ = write!(out, "neonops lint: {}", s.line());
    out
}

/// The trace as a table, with its counts.
pub fn trace_table_text(t: &Trace) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut tab = table(&[
        "where",
        "statement",
        "claimed",
        "traced",
        "rewrite",
        "agrees",
    ]);
    let list = |c: &[Claim]| {
        c.iter()
            .map(|c| format!("{} on {}", c.mode.name(), c.table))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for s in &t.statements {
        tab.add_row(vec![
            format!("{}:{}:{}", s.file, s.line, s.column),
            s.statement.clone(),
            list(&s.claimed),
            list(&s.observed),
            if s.rewritten.is_empty() {
                "no".into()
            } else {
                s.rewritten.join(", ")
            },
            match (&s.note, s.agrees) {
                (Some(n), true) => n.clone(),
                (None, true) => "yes".into(),
                (Some(n), false) => format!("NO: {n}"),
                (None, false) => "NO".into(),
            },
        ]);
    }
    let _ = writeln!(out, "traced on {}", t.target);
    let _ = writeln!(out, "{tab}");
    let traced = t
        .statements
        .iter()
        .filter(|s| {
            !s.note
                .as_deref()
                .is_some_and(|n| n.starts_with("not traced"))
        })
        .count();
    let _ = write!(
        out,
        "{traced} of {} statement(s) traced, {} disagree with the static analysis",
        t.statements.len(),
        t.disagreements()
    );
    if let Some(why) = &t.stopped {
        let _ = write!(out, "\nstopped: {why}; the files after it were not traced");
    }
    out
}
