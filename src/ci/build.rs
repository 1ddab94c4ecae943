//! A document from a command's `--json` report.

use serde_json::Value;

use super::{At, Case, Document, Grid, Kind, Level, Section};

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn n(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

fn list<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn ok(v: &Value) -> bool {
    v.get("ok").and_then(Value::as_bool).unwrap_or(false)
}

fn at(v: &Value) -> Option<At> {
    let file = s(v, "file");
    (!file.is_empty()).then(|| At {
        file: file.to_string(),
        line: n(v, "line").max(1) as usize,
        column: n(v, "column").max(1) as usize,
    })
}

/// A lock as the reports write it: `SHARE on users`.
fn lock_name(mode: &str) -> String {
    mode.replace('_', " ")
}

fn where_(a: &Option<At>) -> String {
    a.as_ref()
        .map_or(String::new(), |a| format!("{}:{}", a.file, a.line))
}

pub fn document(kind: Kind, v: &Value) -> Document {
    let mut d = Document {
        title: format!("neonops {}", kind.command()),
        ok: ok(v),
        sections: Vec::new(),
        rules: Vec::new(),
    };
    match kind {
        Kind::Lint => lint(&mut d, v),
        Kind::Migrate => migrate(&mut d, v),
        Kind::Status | Kind::Validate => status(&mut d, v, kind),
        Kind::Drift => drift(&mut d, v),
        Kind::Diff => diff(&mut d, v),
        Kind::Doctor => doctor(&mut d, v),
        Kind::Check => check(&mut d, v),
        Kind::Ci => ci(&mut d, v),
        Kind::Error => error(&mut d, v),
    }
    d
}

/// Whether a severity is at or above the level that fails.
fn at_or_above(severity: &str, fail_on: &str) -> bool {
    let rank = |s: &str| match s {
        "info" => 0,
        "warning" => 1,
        "error" => 2,
        _ => 3,
    };
    rank(severity) >= rank(fail_on)
}

/// A finding of the safety analysis as a case (and its rule).
pub fn finding_case(d: &mut Document, f: &Value, fail_on: &str) -> Case {
    let rule = s(f, "rule");
    let severity = s(f, "severity");
    let allowed = f.get("allowed").and_then(Value::as_str);
    let level = match (severity, allowed) {
        (_, Some(_)) => Level::Note,
        ("error", _) => Level::Error,
        ("warning", _) => Level::Warning,
        _ => Level::Note,
    };
    let what = crate::lint::Rule::ALL
        .iter()
        .find(|r| r.id() == rule)
        .map_or("", |r| r.what());
    d.rule(
        rule,
        what,
        &format!("{what}. The finding says the lock, what it blocks and the safe way; allow a statement with `-- neonops:allow {rule} <reason>`."),
    );
    let mut message = s(f, "message").to_string();
    if let Some(r) = allowed {
        message.push_str(&format!(" (allowed: {r})"));
    }
    let detail = f
        .get("safe_alternative")
        .and_then(Value::as_str)
        .map(|a| format!("the safe way: {a}"));
    Case {
        name: format!("{} {rule}", where_(&at(f))),
        rule: rule.to_string(),
        level,
        failed: allowed.is_none() && at_or_above(severity, fail_on),
        skipped: false,
        message,
        detail,
        at: at(f),
        time_ms: None,
    }
}

fn lock_cell(f: &Value) -> (String, String) {
    let locks: Vec<String> = list(f, "locks")
        .iter()
        .map(|c| format!("{} on {}", lock_name(s(c, "mode")), s(c, "table")))
        .collect();
    let blocks = match (
        f.get("blocks_reads").and_then(Value::as_bool),
        f.get("blocks_writes").and_then(Value::as_bool),
    ) {
        (Some(true), _) => "reads and writes",
        (_, Some(true)) => "writes",
        _ => "nothing",
    };
    (locks.join(" + "), blocks.to_string())
}

fn severity_cell(c: &Case) -> String {
    let word = match c.level {
        Level::Error => "🛑 error",
        Level::Warning => "⚠️ warning",
        _ => "ℹ️ info",
    };
    format!("{word} `{}`", c.rule)
}

/// The findings: a table, and a case each.
fn findings(d: &mut Document, sec: &mut Section, fs: &[Value], fail_on: &str) {
    if fs.is_empty() {
        sec.lines.push("No findings.".into());
        return;
    }
    let mut grid = Grid {
        header: ["where", "statement", "lock", "blocks", "finding", "message"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for f in fs {
        let c = finding_case(d, f, fail_on);
        let (lock, blocks) = lock_cell(f);
        let mut message = c.message.clone();
        if let Some(x) = &c.detail {
            message.push_str(&format!("\n{x}"));
        }
        grid.rows.push(vec![
            where_(&c.at),
            format!("`{}`", s(f, "statement")),
            lock,
            blocks,
            severity_cell(&c),
            message,
        ]);
        if c.failed {
            sec.ok = false;
        }
        sec.cases.push(c);
    }
    sec.grid = Some(grid);
}

fn problems(d: &mut Document, sec: &mut Section, ps: &[Value]) {
    for p in ps {
        d.rule(
            "migration-problem",
            "a migration file or the history is wrong",
            "A misnamed or duplicate file, or a history that disagrees with the files: nothing runs until it is fixed (exit 2). The message says the fix.",
        );
        let subject = s(p, "subject");
        let line = p.get("line").and_then(Value::as_u64);
        sec.ok = false;
        sec.lines
            .push(format!("❌ `{subject}`: {}", s(p, "message")));
        sec.cases.push(Case {
            name: subject.to_string(),
            rule: "migration-problem".into(),
            level: Level::Error,
            failed: true,
            skipped: false,
            message: s(p, "message").to_string(),
            detail: None,
            at: subject.ends_with(".sql").then(|| At {
                file: subject.to_string(),
                line: line.unwrap_or(1) as usize,
                column: p.get("column").and_then(Value::as_u64).unwrap_or(1) as usize,
            }),
            time_ms: None,
        });
    }
}

/// A passing case for each file that has none of its own.
fn files_passed(sec: &mut Section, files: impl IntoIterator<Item = String>) {
    for file in files {
        if !sec
            .cases
            .iter()
            .any(|c| c.at.as_ref().is_some_and(|a| a.file == file))
        {
            let mut c = Case::passed(file.clone(), "file");
            c.at = Some(At {
                file,
                line: 1,
                column: 1,
            });
            sec.cases.push(c);
        }
    }
}

fn unique(files: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in files {
        if !f.is_empty() && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

fn lint(d: &mut Document, v: &Value) {
    let mut sec = Section::new("lint");
    let fail_on = v.get("fail_on").and_then(Value::as_str).unwrap_or("error");
    let sum = &v["summary"];
    sec.lines.push(format!(
        "{} error(s), {} warning(s), {} info, {} allowed in {} statement(s) of {} file(s); fails at {fail_on}; {}",
        n(sum, "errors"),
        n(sum, "warnings"),
        n(sum, "info"),
        n(sum, "allowed"),
        n(sum, "statements"),
        n(sum, "files"),
        if v.get("online").and_then(Value::as_bool) == Some(true) {
            format!("table sizes from the database (PostgreSQL {})", n(v, "pg_version"))
        } else {
            format!("offline, rules of PostgreSQL {}", n(v, "pg_version"))
        }
    ));
    lint_body(d, &mut sec, v, fail_on);
    sec.time_ms = sum.get("elapsed_ms").and_then(Value::as_f64);
    sec.ok = ok(v);
    d.sections.push(sec);
}

/// Findings, parse errors, problems and the changed files of a lint report.
pub(super) fn lint_body(d: &mut Document, sec: &mut Section, v: &Value, fail_on: &str) {
    changed(d, sec, v);
    lint_findings(d, sec, v, fail_on);
}

/// `--changed-since`: the files the change touched (an edit of an applied
/// migration fails), and the pending migrations outside the change.
fn changed(d: &mut Document, sec: &mut Section, v: &Value) {
    for c in list(v, "changed") {
        let file = s(c, "file");
        let note = s(c, "note");
        sec.lines.push(format!(
            "{} `{file}`: {}{}",
            if note.is_empty() { "📝" } else { "⚠️" },
            s(c, "change"),
            if note.is_empty() {
                String::new()
            } else {
                format!(" — {note}")
            }
        ));
        if !note.is_empty() {
            let applied = c.get("applied").and_then(Value::as_bool) == Some(true);
            d.rule(
                "edited-migration",
                "the change edits or removes a migration that was already there",
                "A database that applied a migration records the file as it was: it will not run an edited file again, and reports the difference. Restore the file, and put the change in a new migration.",
            );
            if applied {
                sec.ok = false;
            }
            sec.cases.push(Case {
                name: file.to_string(),
                rule: "edited-migration".into(),
                level: if applied {
                    Level::Error
                } else {
                    Level::Warning
                },
                failed: applied,
                skipped: false,
                message: format!("{} {file}: {note}", s(c, "change")),
                detail: None,
                at: (s(c, "change") != "deleted").then(|| At {
                    file: file.to_string(),
                    line: 1,
                    column: 1,
                }),
                time_ms: None,
            });
        }
    }
    let outside: Vec<&str> = list(v, "not_in_change")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !outside.is_empty() {
        sec.lines.push(format!(
            "ℹ️ Pending but not in the change (they run too: migrations run in order): {}",
            outside
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

fn lint_findings(d: &mut Document, sec: &mut Section, v: &Value, fail_on: &str) {
    findings(d, sec, list(v, "findings"), fail_on);
    for e in list(v, "parse_errors") {
        d.rule(
            "parse-error",
            "PostgreSQL's parser rejects the file",
            "The statement does not parse as PostgreSQL's own parser reads it: fix the SQL.",
        );
        sec.ok = false;
        sec.cases.push(Case {
            name: format!("{}:{}", s(e, "file"), n(e, "line")),
            rule: "parse-error".into(),
            level: Level::Error,
            failed: true,
            skipped: false,
            message: s(e, "message").to_string(),
            detail: None,
            at: at(e),
            time_ms: None,
        });
        sec.lines.push(format!(
            "❌ `{}:{}:{}`: {}",
            s(e, "file"),
            n(e, "line"),
            n(e, "column"),
            s(e, "message")
        ));
    }
    problems(d, sec, list(v, "problems"));
    files_passed(
        sec,
        unique(
            list(v, "statements")
                .iter()
                .map(|x| s(x, "file").to_string()),
        ),
    );
}

fn migrate(d: &mut Document, v: &Value) {
    if v.get("project").is_some() {
        rehearsal(d, v);
        if let Some(m) = v.get("migrate") {
            migrate(d, m);
        }
        return;
    }
    let version = v
        .get("version")
        .and_then(Value::as_i64)
        .map_or("none".to_string(), |x| x.to_string());
    let planned = list(v, "planned");
    if s(v, "mode") == "plan" {
        let mut sec = Section::new("plan");
        sec.lines.push(format!(
            "{} migration(s) to apply; the database is at version {version}",
            planned.len()
        ));
        changed(d, &mut sec, v);
        let mut grid = Grid {
            header: ["migration", "statement", "lock", "blocks"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        for p in planned {
            for st in list(p, "statements") {
                let (lock, blocks) = effect_cell(&st["effect"]);
                grid.rows.push(vec![
                    format!("{}:{}", s(p, "file"), n(st, "line")),
                    format!("`{}`", s(st, "statement")),
                    lock,
                    blocks,
                ]);
            }
        }
        if !grid.rows.is_empty() {
            sec.grid = Some(grid);
        }
        let mut fsec = Section::new("findings");
        findings(d, &mut fsec, list(v, "findings"), "error");
        sec.cases = fsec.cases;
        sec.lines
            .extend(fsec.lines.into_iter().filter(|l| l != "No findings."));
        files_passed(&mut sec, planned.iter().map(|p| s(p, "file").to_string()));
        sec.ok = ok(v);
        d.sections.push(sec);
        return;
    }
    let mut sec = Section::new("migrate");
    let applied = list(v, "applied");
    sec.lines.push(format!(
        "{} migration(s) {} in {} ms; the database is at version {version}",
        applied.len(),
        if s(v, "mode") == "fake" {
            "recorded (not run)"
        } else {
            "applied"
        },
        n(v, "elapsed_ms")
    ));
    for a in applied {
        let mut c = Case::passed(
            format!("V{}__{}", n(a, "version"), s(a, "name")),
            "migration",
        );
        c.time_ms = Some(n(a, "duration_ms") as f64);
        sec.cases.push(c);
    }
    if let Some(f) = v.get("failure").filter(|f| !f.is_null()) {
        d.rule(
            "migration-failed",
            "a migration failed",
            "The migration was rolled back (or stopped at a statement of a no-transaction file, which neonops says how to resume).",
        );
        sec.ok = false;
        sec.lines.push(format!(
            "❌ V{}__{} failed: {} {}",
            n(f, "version"),
            s(f, "name"),
            s(f, "message"),
            s(f, "fix")
        ));
        sec.cases.push(Case {
            name: format!("V{}__{}", n(f, "version"), s(f, "name")),
            rule: "migration-failed".into(),
            level: Level::Error,
            failed: true,
            skipped: false,
            message: s(f, "message").to_string(),
            detail: Some(s(f, "fix").to_string()),
            at: at(f),
            time_ms: None,
        });
    }
    if v.get("refused").and_then(Value::as_bool) == Some(true) {
        sec.ok = false;
        let mut fsec = Section::new("findings");
        findings(d, &mut fsec, list(v, "findings"), "error");
        sec.cases.extend(fsec.cases);
        sec.grid = fsec.grid;
        sec.lines
            .push("❌ refused: the safety analysis found statements that fail on this protected environment".into());
    }
    sec.ok = sec.ok && ok(v);
    d.sections.push(sec);
}

fn effect_cell(e: &Value) -> (String, String) {
    let rank = |m: &str| match m {
        "ACCESS_SHARE" => 0,
        "ROW_SHARE" => 1,
        "ROW_EXCLUSIVE" => 2,
        "SHARE_UPDATE_EXCLUSIVE" => 3,
        "SHARE" => 4,
        "SHARE_ROW_EXCLUSIVE" => 5,
        "EXCLUSIVE" => 6,
        _ => 7,
    };
    let locks = list(e, "locks");
    let strongest = locks.iter().map(|c| rank(s(c, "mode"))).max();
    let text: Vec<String> = locks
        .iter()
        .map(|c| format!("{} on {}", lock_name(s(c, "mode")), s(c, "table")))
        .collect();
    let blocks = match strongest {
        None => "nothing",
        Some(7) => "reads and writes",
        Some(r) if r >= 4 => "writes",
        Some(_) => "nothing (DDL of its own)",
    };
    if text.is_empty() {
        ("none on existing tables".into(), blocks.into())
    } else {
        (text.join(" + "), blocks.into())
    }
}

fn rehearsal(d: &mut Document, v: &Value) {
    let mut sec = Section::new("rehearsal");
    let branch = &v["branch"];
    sec.time_ms = Some(n(v, "elapsed_ms") as f64);
    let migrations = list(v, "migrations");
    if migrations.is_empty() {
        sec.lines
            .push("Nothing to rehearse: no migration is pending.".into());
    } else {
        sec.lines.push(format!(
            "{} migration(s) rehearsed on branch `{}` of project `{}` ({}), in {} ms",
            migrations.len(),
            s(branch, "name"),
            s(v, "project"),
            if branch.get("deleted").and_then(Value::as_bool) == Some(true) {
                "deleted afterwards"
            } else {
                "NOT deleted"
            },
            n(v, "elapsed_ms")
        ));
    }
    changed(d, &mut sec, v);
    if let Some(l) = v.get("longest_write_block").filter(|l| !l.is_null()) {
        sec.lines.push(format!(
            "Longest hold that blocks writes: {} on {} for {} ms (`{}:{}`){}",
            lock_name(s(l, "mode")),
            s(l, "relation"),
            n(l, "held_ms"),
            s(l, "file"),
            n(l, "line"),
            v.get("max_lock_ms")
                .and_then(Value::as_u64)
                .map_or(String::new(), |m| format!("; --max-lock {m} ms"))
        ));
    }
    d.rule(
        "rehearsed-statement",
        "a statement as it ran on a branch of the environment",
        "How long the statement took on a Neon branch of the environment (a copy of its data) and the locks it held; a lock that blocks writes held longer than --max-lock fails.",
    );
    let mut grid = Grid {
        header: ["where", "statement", "took", "longest hold", "blocks"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    let max = v.get("max_lock_ms").and_then(Value::as_u64);
    for st in list(v, "statements") {
        let (row, case) = rehearsed(st, max);
        grid.rows.push(row);
        sec.cases.push(case);
    }
    if !grid.rows.is_empty() {
        sec.grid = Some(grid);
    }
    if let Some(f) = v.get("failed").filter(|f| !f.is_null()) {
        rehearsal_failed(d, &mut sec, f);
    }
    let mut fsec = Section::new("findings");
    findings(d, &mut fsec, list(v, "findings"), "error");
    sec.cases.extend(fsec.cases);
    sec.ok = ok(v);
    d.sections.push(sec);
}

/// One rehearsed statement: its row of the table, and its case (failed
/// when it held a lock that blocks writes longer than `max`).
fn rehearsed(st: &Value, max: Option<u64>) -> (Vec<String>, Case) {
    let longest = list(st, "locks").iter().max_by_key(|l| n(l, "held_ms"));
    let (hold, blocks) = longest.map_or(("none".into(), "nothing".into()), |l| {
        (
            format!(
                "{} on {}: {} ms",
                lock_name(s(l, "mode")),
                s(l, "relation"),
                n(l, "held_ms")
            ),
            if l.get("blocks_reads").and_then(Value::as_bool) == Some(true) {
                "reads and writes".to_string()
            } else if l.get("blocks_writes").and_then(Value::as_bool) == Some(true) {
                "writes".to_string()
            } else {
                "nothing".to_string()
            },
        )
    });
    let over = list(st, "locks").iter().find(|l| {
        l.get("blocks_writes").and_then(Value::as_bool) == Some(true)
            && max.is_some_and(|m| n(l, "held_ms") > m)
    });
    let a = at(st);
    let row = vec![
        where_(&a),
        format!("`{}`", s(st, "statement")),
        format!("{} ms", n(st, "duration_ms")),
        hold.clone(),
        blocks.clone(),
    ];
    let case = Case {
        name: format!("{} {}", where_(&a), s(st, "statement")),
        rule: "rehearsed-statement".into(),
        level: if over.is_some() {
            Level::Error
        } else {
            Level::None
        },
        failed: over.is_some(),
        skipped: false,
        message: match over {
            Some(l) => format!(
                "held {} on {} for {} ms, over --max-lock ({} ms): {} wait that long",
                lock_name(s(l, "mode")),
                s(l, "relation"),
                n(l, "held_ms"),
                max.unwrap_or(0),
                blocks
            ),
            None => format!(
                "took {} ms; longest hold {hold} (blocks {blocks})",
                n(st, "duration_ms")
            ),
        },
        detail: None,
        at: a,
        time_ms: Some(n(st, "duration_ms") as f64),
    };
    (row, case)
}

/// The statement that failed on the rehearsal branch.
fn rehearsal_failed(d: &mut Document, sec: &mut Section, f: &Value) {
    d.rule(
        "rehearsal-failed",
        "a statement failed on the rehearsal branch",
        "It would fail on the environment too: nothing was applied there.",
    );
    sec.lines.push(format!(
        "❌ failed at `{}:{}`: {}",
        s(f, "file"),
        n(f, "line"),
        s(f, "message")
    ));
    sec.cases.push(Case {
        name: format!("{}:{}", s(f, "file"), n(f, "line")),
        rule: "rehearsal-failed".into(),
        level: Level::Error,
        failed: true,
        skipped: false,
        message: s(f, "message").to_string(),
        detail: None,
        at: at(f),
        time_ms: None,
    });
}

fn status(d: &mut Document, v: &Value, kind: Kind) {
    let mut sec = Section::new(kind.command());
    let entries = list(v, "entries");
    let count = |st: &str| entries.iter().filter(|e| s(e, "state") == st).count();
    sec.lines.push(format!(
        "{} applied, {} pending, {} divergent, {} missing",
        count("applied"),
        count("pending"),
        count("divergent"),
        count("missing")
    ));
    let mut grid = Grid {
        header: ["version", "name", "state", "applied on"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for e in entries {
        let state = s(e, "state");
        grid.rows.push(vec![
            n(e, "version").to_string(),
            s(e, "name").to_string(),
            state.to_string(),
            s(e, "applied_on").to_string(),
        ]);
        let bad = matches!(state, "divergent" | "missing");
        if bad {
            d.rule(
                "history-disagrees",
                "the history and the files disagree",
                "An applied migration's file was edited (divergent) or removed (missing): restore it as applied, and put the change in a new migration.",
            );
        }
        let mut c = Case::passed(format!("V{}__{}", n(e, "version"), s(e, "name")), "history");
        c.message = state.to_string();
        c.at = at(e);
        if bad {
            c.rule = "history-disagrees".into();
            c.level = Level::Error;
            c.failed = true;
            c.message = format!("{state}: the history and the file disagree");
        }
        sec.cases.push(c);
    }
    if !grid.rows.is_empty() {
        sec.grid = Some(grid);
    }
    problems(d, &mut sec, list(v, "problems"));
    let mut fsec = Section::new("findings");
    if !list(v, "findings").is_empty() {
        findings(d, &mut fsec, list(v, "findings"), "error");
        sec.cases.extend(fsec.cases);
    }
    sec.ok = ok(v);
    d.sections.push(sec);
}

fn schema_differences(sec: &mut Section, diffs: &[Value], rule: &str) {
    for x in diffs {
        let change = s(x, "change");
        let hazards: Vec<&str> = list(x, "hazards")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        sec.lines.push(format!(
            "- {} `{}`: {}{}",
            s(x, "kind"),
            s(x, "name"),
            change.replace('_', " "),
            if hazards.is_empty() {
                String::new()
            } else {
                format!(" — ⚠️ {}", hazards.join("; "))
            }
        ));
        sec.cases.push(Case {
            name: format!("{} {}", s(x, "kind"), s(x, "name")),
            rule: rule.into(),
            level: if rule == "drift" {
                Level::Error
            } else {
                Level::Note
            },
            failed: rule == "drift",
            skipped: false,
            message: format!(
                "{} {}: {}",
                s(x, "kind"),
                s(x, "name"),
                change.replace('_', " ")
            ),
            detail: Some(s(x, "sql").to_string()),
            at: None,
            time_ms: None,
        });
    }
}

fn drift(d: &mut Document, v: &Value) {
    let mut sec = Section::new("drift");
    let diffs = list(v, "differences");
    d.rule(
        "drift",
        "the live schema differs from what its applied migrations build",
        "Someone changed the database outside the migrations (or a migration was edited after it ran): capture the change as a migration, or undo it.",
    );
    if diffs.is_empty() && list(v, "unmodelled").is_empty() {
        sec.lines.push(format!(
            "No drift: the live schema is what its {} applied migration(s) build.",
            n(v, "applied")
        ));
        sec.cases.push(Case::passed("schema", "drift"));
    } else {
        sec.lines.push(format!(
            "❌ {} difference(s) between the live schema and its {} applied migration(s):",
            diffs.len(),
            n(v, "applied")
        ));
        schema_differences(&mut sec, diffs, "drift");
        for u in list(v, "unmodelled").iter().filter_map(Value::as_str) {
            sec.lines.push(format!(
                "- {u}: counts differ (not modelled, not described)"
            ));
        }
        let sql: Vec<&str> = diffs.iter().map(|x| s(x, "sql")).collect();
        if !sql.is_empty() {
            sec.code = Some(("sql".into(), sql.join("\n")));
        }
    }
    sec.ok = ok(v);
    d.sections.push(sec);
}

fn diff(d: &mut Document, v: &Value) {
    let mut sec = Section::new("diff");
    d.rule(
        "schema-difference",
        "an object differs between the two schemas",
        "The SQL of the plan turns the first schema into the second.",
    );
    let diffs = list(v, "differences");
    if v.get("equal").and_then(Value::as_bool) == Some(true) {
        sec.lines.push("The schemas are equal.".into());
    } else {
        sec.lines.push(format!("{} difference(s):", diffs.len()));
        schema_differences(&mut sec, diffs, "schema-difference");
        let sql: Vec<&str> = list(v, "statements").iter().map(|x| s(x, "sql")).collect();
        sec.code = Some(("sql".into(), sql.join("\n")));
    }
    for note in list(v, "notes").iter().filter_map(Value::as_str) {
        sec.lines.push(format!("note: {note}"));
    }
    sec.ok = ok(v);
    d.sections.push(sec);
}

fn doctor(d: &mut Document, v: &Value) {
    let reports: Vec<&Value> = match v.get("environments").and_then(Value::as_array) {
        Some(envs) => envs.iter().collect(),
        None => vec![v],
    };
    for r in reports {
        let env = s(r, "environment");
        let mut sec = Section::new(if env.is_empty() {
            "doctor".to_string()
        } else {
            format!("doctor: {env}")
        });
        let sum = &r["summary"];
        sec.lines.push(format!(
            "{} pass, {} warn, {} fail, {} info",
            n(sum, "pass"),
            n(sum, "warn"),
            n(sum, "fail"),
            n(sum, "info")
        ));
        let mut grid = Grid {
            header: ["status", "check", "endpoint", "detail", "fix"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        for f in list(r, "findings") {
            let status = s(f, "status");
            let check = s(f, "check");
            let rule = format!("doctor/{}", check.replace(' ', "-"));
            grid.rows.push(vec![
                match status {
                    "pass" => "✅ pass",
                    "warn" => "⚠️ warn",
                    "fail" => "❌ fail",
                    _ => "ℹ️ info",
                }
                .to_string(),
                check.to_string(),
                s(f, "endpoint").to_string(),
                s(f, "detail").to_string(),
                s(f, "fix").to_string(),
            ]);
            let level = match status {
                "fail" => Level::Error,
                "warn" => Level::Warning,
                _ => Level::None,
            };
            if level != Level::None {
                d.rule(
                    &rule,
                    &format!("doctor's {check} check"),
                    "The check's detail says what was found and its fix what to change.",
                );
            }
            sec.cases.push(Case {
                name: format!("{} ({})", check, s(f, "endpoint")),
                rule,
                level,
                failed: status == "fail",
                skipped: false,
                message: s(f, "detail").to_string(),
                detail: f.get("fix").and_then(Value::as_str).map(str::to_string),
                at: None,
                time_ms: None,
            });
        }
        sec.grid = Some(grid);
        sec.ok = ok(r);
        d.sections.push(sec);
    }
}

fn check(d: &mut Document, v: &Value) {
    let mut sec = Section::new("check");
    let mut grid = Grid {
        header: ["endpoint", "url", "result", "connect", "query", "server"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for e in list(v, "endpoints") {
        let good = ok(e);
        let error = e
            .get("diagnosis")
            .and_then(|x| x.get("summary"))
            .and_then(Value::as_str)
            .or(e.get("error").and_then(Value::as_str))
            .unwrap_or("");
        grid.rows.push(vec![
            s(e, "endpoint").to_string(),
            format!("`{}`", s(e, "url")),
            if good {
                "✅ ok".to_string()
            } else {
                format!("❌ {error}")
            },
            format!("{} ms", n(e, "connect_ms")),
            format!("{} ms", n(e, "query_ms")),
            s(e, "server_version").to_string(),
        ]);
        if !good {
            d.rule(
                "check/connect",
                "an endpoint did not answer",
                "The error names the failure (DNS, TCP, TLS, auth, limits, a suspended compute) and its fix.",
            );
        }
        let mut c = Case::passed(format!("{} endpoint", s(e, "endpoint")), "check/connect");
        c.time_ms = Some((n(e, "connect_ms") + n(e, "query_ms")) as f64);
        if !good {
            c.level = Level::Error;
            c.failed = true;
            c.message = error.to_string();
        }
        sec.cases.push(c);
    }
    sec.grid = Some(grid);
    for note in list(v, "notes").iter().filter_map(Value::as_str) {
        sec.lines.push(note.to_string());
    }
    problems(d, &mut sec, list(v, "problems"));
    sec.ok = ok(v);
    d.sections.push(sec);
}

fn error(d: &mut Document, v: &Value) {
    let mut sec = Section::new("error");
    sec.ok = false;
    if let Some(e) = v.get("error") {
        d.rule(
            "error",
            "the command could not run",
            "The message names the cause and the fix.",
        );
        sec.lines.push(format!("❌ {}", s(e, "message")));
        sec.cases.push(Case {
            name: s(e, "kind").to_string(),
            rule: "error".into(),
            level: Level::Error,
            failed: true,
            skipped: false,
            message: s(e, "message").to_string(),
            detail: None,
            at: None,
            time_ms: None,
        });
    }
    problems(d, &mut sec, list(v, "problems"));
    d.sections.push(sec);
}

/// The kind of a step's report, from its name in `ci --json`.
fn step_kind(command: &str) -> Kind {
    match command {
        "lint" => Kind::Lint,
        "validate" => Kind::Validate,
        "status" => Kind::Status,
        "drift" => Kind::Drift,
        "diff" => Kind::Diff,
        "doctor" => Kind::Doctor,
        "check" => Kind::Check,
        _ => Kind::Migrate,
    }
}

/// `neonops ci`: each step's sections, under the step's name; a skipped
/// step says why.
fn ci(d: &mut Document, v: &Value) {
    for step in list(v, "steps") {
        let name = s(step, "name");
        let status = s(step, "status");
        if status == "skipped" {
            let mut sec = Section::new(name);
            sec.lines.push(format!("Skipped: {}", s(step, "reason")));
            let mut c = Case::passed(name, "step");
            c.skipped = true;
            c.message = s(step, "reason").to_string();
            sec.cases.push(c);
            d.sections.push(sec);
            continue;
        }
        let report = &step["report"];
        let kind = if report.get("error").is_some() || report.get("exit_code").is_some() {
            Kind::Error
        } else {
            step_kind(s(step, "command"))
        };
        let mut sub = document(kind, report);
        for r in sub.rules.drain(..) {
            d.rule(&r.id, &r.short, &r.help);
        }
        let several = sub.sections.len() > 1;
        for mut sec in sub.sections {
            sec.name = if several {
                format!("{name}: {}", sec.name)
            } else {
                name.to_string()
            };
            if matches!(name, "plan" | "rehearsal") {
                // The lint step says the findings once.
                sec.cases
                    .retain(|c| !crate::lint::Rule::ALL.iter().any(|r| r.id() == c.rule));
            }
            if status == "failed" || status == "error" {
                sec.ok = false;
            }
            if let Some(ms) = step.get("elapsed_ms").and_then(Value::as_f64) {
                sec.time_ms.get_or_insert(ms);
            }
            d.sections.push(sec);
        }
    }
}
