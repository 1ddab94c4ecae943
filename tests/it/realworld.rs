//! A real migration set from a public project (Lemmy's 342 migrations,
//! tests/data/realworld/lemmy) through the lint, the trace and the runner.
//! The figures beside squawk's are measured by `scripts/realworld measure`.

use std::path::{Path, PathBuf};

use crate::harness::{Neonops, TestDb, campaign_full, sandbox};
use crate::json::{LintReport, MigrateReport};

fn lemmy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/realworld/lemmy/migrations")
}

/// The first `n` files, in a directory of their own.
fn first(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for v in 1..=n {
        let name = std::fs::read_dir(lemmy())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|f| f.starts_with(&format!("V{v}__")))
            .unwrap();
        std::fs::copy(lemmy().join(&name), dir.path().join(&name)).unwrap();
    }
    dir
}

#[test]
fn the_lemmy_set_is_linted_end_to_end_and_the_findings_are_the_reviewed_ones() {
    let r = Neonops::new()
        .args(["--json", "lint", "--offline", "--dir"])
        .arg_path(&lemmy())
        .run();
    r.code(1);
    let v: LintReport = r.json();
    assert!(v.parse_errors.is_empty(), "{:?}", v.parse_errors);
    assert_eq!((v.summary.files, v.summary.statements), (342, 2664));
    let files_flagged: std::collections::BTreeSet<&str> =
        v.findings.iter().map(|f| f.file.as_str()).collect();
    // Not everything: files that only create tables (and index them), add
    // nullable columns, or change functions are quiet.
    assert!(files_flagged.len() < 250, "{}", files_flagged.len());
    let at = |file: &str, line: usize| {
        v.findings
            .iter()
            .filter(|f| f.file.contains(file) && f.line == line)
            .map(|f| format!("{}:{}", f.severity, f.rule))
            .collect::<Vec<_>>()
    };
    // V3 creates tables and their indexes: new and empty, nothing to say.
    assert!(
        !files_flagged
            .iter()
            .any(|f| f.ends_with("/V3__create_community.sql"))
    );
    // V174 sets the time zone to UTC first: timestamp → timestamptz is
    // binary-compatible (the trace agrees), information only.
    assert_eq!(
        at("/V174__fix_timezones.sql", 7),
        ["info:column-type-no-rewrite"]
    );
    assert!(
        !v.findings.iter().any(
            |f| f.file.ends_with("/V174__fix_timezones.sql") && f.rule == "column-type-rewrite"
        )
    );
    // generate_unique_changeme() was created, VOLATILE by default, by an
    // earlier file: ADD COLUMN … DEFAULT it rewrites the table.
    let volatile = v
        .findings
        .iter()
        .find(|f| f.file.ends_with("/V70__apub_columns.sql") && f.line == 1)
        .unwrap();
    assert_eq!(volatile.rule, "add-column-volatile-default");
    assert!(volatile.rewrite);
    // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE (12+), no finding.
    let rename = v
        .statements
        .iter()
        .find(|s| s.statement.starts_with("ALTER INDEX user__pkey RENAME"))
        .unwrap();
    assert_eq!(rename.effect.locks[0].mode, "SHARE_UPDATE_EXCLUSIVE");
    // The runner's own settings are never findings (squawk's most common).
    assert!(
        !v.findings
            .iter()
            .any(|f| f.message.contains("lock_timeout"))
    );
}

#[test]
fn the_lemmy_set_applies_and_its_claims_are_what_postgres_locks() {
    // The trace: each statement inside its migration's transaction on a
    // throwaway sandbox database (files from V248 need PostgreSQL 16 or a
    // superuser; `scripts/realworld measure` traces all of them).
    let n = if campaign_full() { 247 } else { 60 };
    let dir = first(n);
    let r = Neonops::new()
        .sandbox()
        .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
        .args(["--json", "lint", "--offline", "--trace", "--dir"])
        .arg_path(dir.path())
        .run();
    let v: LintReport = r.json();
    let t = v.trace.expect("a trace");
    assert!(t.stopped.is_none(), "{:?}", t.stopped);
    assert!(
        t.statements
            .iter()
            .all(|s| !s.note.as_deref().unwrap_or("").starts_with("not traced")),
        "{:?}",
        t.statements
            .iter()
            .find(|s| s.note.as_deref().unwrap_or("").starts_with("not traced"))
    );
    // One disagreement, understood: V33's DELETE fires Lemmy's triggers,
    // which refresh materialized views (EXCLUSIVE on them); the analysis
    // does not follow triggers.
    let bad: Vec<String> = t
        .statements
        .iter()
        .filter(|s| !s.agrees)
        .map(|s| {
            format!(
                "{}:{} {}",
                s.file,
                s.line,
                s.note.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(bad.len(), 1, "{bad:#?}");
    assert!(
        bad[0].contains("V33__add_case_insensitive_usernames.sql:11"),
        "{bad:?}"
    );
    assert!(
        bad[0].contains("_mview: traced EXCLUSIVE, not claimed"),
        "{bad:?}"
    );

    // The runner applies the same files on a fresh database, then plans the
    // next with the database's (empty) tables: sizes grade them info.
    let db = TestDb::new("realworld");
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir"])
        .arg_path(&lemmy())
        .args(["--target", &n.to_string()])
        .run()
        .code(0);
    assert_eq!(db.history().len(), n);
    let plan: MigrateReport = Neonops::new()
        .db(&db)
        .args(["--json", "migrate", "--plan", "--dir"])
        .arg_path(&lemmy())
        .args(["--target", &(n + 5).to_string()])
        .run()
        .json();
    assert_eq!(plan.planned.len(), 5);
    assert!(plan.planned.iter().all(|p| !p.statements.is_empty()));
    assert!(
        plan.findings.iter().all(|f| f.severity != "error"),
        "{:#?}",
        plan.findings
    );
}
