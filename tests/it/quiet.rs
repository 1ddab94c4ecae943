//! `-q`: nothing but errors on stderr, in every command (results stay on
//! stdout, where a script reads them).

use crate::harness::{Migrations, Neonops, Run, TestDb, sandbox};

#[track_caller]
fn silent(r: &Run, what: &str) {
    assert!(
        r.stderr.is_empty(),
        "{what}: -q, yet stderr says:\n{}",
        r.stderr
    );
}

#[test]
fn quiet_leaves_nothing_but_errors_on_stderr_in_every_command() {
    let s = sandbox();
    let db = TestDb::new("quiet");
    db.exec(
        "CREATE TABLE big (id int); INSERT INTO big SELECT generate_series(1, 20000); ANALYZE big;",
    );
    // A migration with a finding (shown before applying, on stderr, without -q).
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__index.sql", "CREATE INDEX big_id ON big (id);"),
    ]);
    let dir = m.arg();
    let cfg = tempfile::tempdir().unwrap();
    let targets = cfg.path().join("tenants.txt");
    std::fs::write(&targets, format!("{}\n", db.direct_url())).unwrap();
    let targets = targets.display().to_string();
    let direct = db.direct_url();
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("migrate", vec!["migrate", "--dir", &dir]),
        ("migrate again", vec!["migrate", "--dir", &dir]),
        ("status", vec!["status", "--dir", &dir]),
        ("validate", vec!["validate", "--dir", &dir]),
        ("lint", vec!["lint", "--all", "--dir", &dir]),
        ("check", vec!["check", "--dir", &dir]),
        ("doctor", vec!["doctor"]),
        ("url direct of a direct URL", vec!["url", "direct", &direct]),
        ("url explain", vec!["url", "explain"]),
        (
            "fleet status",
            vec!["fleet", "status", "--dir", &dir, "--targets", &targets],
        ),
        ("sandbox status", vec!["sandbox", "status", "--dir"]),
        ("completions", vec!["completions", "bash"]),
    ];
    for (what, args) in runs {
        let mut n = Neonops::new().db(&db).args(["-q"]).args(&args);
        if what == "sandbox status" {
            n = n.arg_path(&s.dir);
        }
        let r = n.run();
        assert!(
            r.code == 0 || what == "doctor",
            "{what}: exit {}\n{}",
            r.code,
            r.stderr
        );
        silent(&r, what);
    }
    // new and init write files and say so: not with -q.
    let r = Neonops::new()
        .cwd(cfg.path())
        .args(["-q", "new", "add_things", "--dir", &dir])
        .run();
    r.code(0);
    silent(&r, "new");
    let r = Neonops::new()
        .cwd(cfg.path())
        .args(["-q", "init", "--environment", "prod"])
        .run();
    r.code(0);
    silent(&r, "init");
    // An error is still said.
    let r = Neonops::new()
        .args([
            "-q",
            "migrate",
            "--dir",
            "nosuchdir",
            "--direct-url",
            &db.direct_url(),
        ])
        .run();
    r.code(2).stderr_has("error: ");
}

/// diff and drift replay migrations on a scratch database: its notices
/// (`drop cascades to …`) are not for -q either.
#[test]
fn quiet_diff_and_drift_leave_nothing_on_stderr() {
    let s = sandbox();
    let db = TestDb::new("quiet_drift");
    let m = Migrations::new(&[(
        "V1__a.sql",
        "CREATE TABLE a (id int); CREATE VIEW v AS SELECT * FROM a; DROP TABLE a CASCADE;",
    )]);
    let dir = m.arg();
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &dir])
        .run()
        .code(0);
    for (what, args) in [
        ("drift", vec!["drift", "--dir", &dir]),
        (
            "diff",
            vec![
                "diff",
                "--from",
                "migrations",
                "--to",
                "live",
                "--dir",
                &dir,
            ],
        ),
    ] {
        let r = Neonops::new()
            .db(&db)
            .env("NEONOPS_SANDBOX_DIR", &s.dir)
            .args(["-q"])
            .args(&args)
            .run();
        r.code(0);
        silent(&r, what);
    }
}
