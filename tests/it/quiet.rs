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
    // (what, arguments, exit code, what stdout must say)
    let runs: Vec<(&str, Vec<&str>, i32, &str)> = vec![
        ("migrate", vec!["migrate", "--dir", &dir], 0, "V2__index"),
        (
            "migrate again",
            vec!["migrate", "--dir", &dir],
            0,
            "nothing to apply",
        ),
        ("status", vec!["status", "--dir", &dir], 0, "applied"),
        (
            "validate",
            vec!["validate", "--dir", &dir],
            0,
            "valid: 2 file(s)",
        ),
        (
            "lint",
            vec!["lint", "--all", "--dir", &dir],
            0,
            "in 2 statement(s) of 2 file(s)",
        ),
        ("check", vec!["check", "--dir", &dir], 0, "ok: pooled"),
        ("doctor", vec!["doctor"], 0, "passed"),
        (
            "url direct of a direct URL",
            vec!["url", "direct", &direct],
            0,
            "postgresql://",
        ),
        ("url explain", vec!["url", "explain"], 0, "pooled"),
        (
            "fleet status",
            vec!["fleet", "status", "--dir", &dir, "--targets", &targets],
            0,
            "1 ok, 0 failed",
        ),
        (
            "sandbox status",
            vec!["sandbox", "status", "--dir"],
            0,
            "running",
        ),
        (
            "lint --rules",
            vec!["lint", "--rules"],
            0,
            "index-without-concurrently",
        ),
        ("completions", vec!["completions", "bash"], 0, "_neonops()"),
    ];
    for (what, args, code, says) in runs {
        let mut n = Neonops::new().db(&db).args(["-q"]).args(&args);
        if what == "sandbox status" {
            n = n.arg_path(&s.dir);
        }
        let r = n.run();
        assert_eq!(r.code, code, "{what}: exit {}\n{}", r.code, r.stderr);
        assert!(
            r.stdout.contains(says),
            "{what}: -q, yet stdout lacks {says:?}:\n{}",
            r.stdout
        );
        silent(&r, what);
    }
    // lint --rules with --json: the list, not the table.
    let r = Neonops::new()
        .args(["-q", "--json", "lint", "--rules"])
        .run();
    r.code(0);
    silent(&r, "lint --rules --json");
    let rules: Vec<serde_json::Value> = r.json();
    assert!(
        rules
            .iter()
            .any(|x| x["rule"] == "index-without-concurrently" && x["what"].is_string()),
        "{rules:?}"
    );
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
    // An error is still said, and stdout is empty.
    let bad = |q: &str| {
        Neonops::new()
            .env("GITHUB_ACTIONS", "true")
            .args([
                q,
                "migrate",
                "--dir",
                "nosuchdir",
                "--direct-url",
                &db.direct_url(),
            ])
            .run()
    };
    let r = bad("-q");
    r.code(2).stderr_has("error: ").stderr_has("nosuchdir");
    assert_eq!(r.stdout, "", "-q, an error: stdout");
    // -qq: nothing at all on stderr; the exit code says it.
    let r = bad("-qq");
    r.code(2);
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        ("", ""),
        "-qq, an error"
    );
    // -qq with --json: the report on stdout, nothing on stderr.
    let r = Neonops::new()
        .args([
            "-qq",
            "--json",
            "migrate",
            "--dir",
            "nosuchdir",
            "--direct-url",
            &db.direct_url(),
        ])
        .run();
    r.code(2);
    silent(&r, "-qq --json, an error");
    let v: serde_json::Value = r.json();
    assert_eq!(v["exit_code"], 2, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nosuchdir"),
        "{v}"
    );
}

/// A command line clap cannot parse: said on stderr with `-q`, not with
/// `-qq` (exit 2 either way), and JSON on stdout with `--json`.
#[test]
fn a_usage_error_is_said_with_q_and_not_with_qq() {
    let bad = |q: &[&str]| {
        Neonops::new()
            .args(q)
            .args(["migrate", "--no-such-flag"])
            .run()
    };
    let r = bad(&["-q"]);
    r.code(2).stderr_has("--no-such-flag");
    assert_eq!(r.stdout, "", "-q, a usage error: stdout");
    for qq in [&["-qq"][..], &["-q", "--quiet"][..]] {
        let r = bad(qq);
        r.code(2);
        assert_eq!(
            (r.stdout.as_str(), r.stderr.as_str()),
            ("", ""),
            "{qq:?}, a usage error"
        );
    }
    let r = bad(&["-qq", "--json"]);
    r.code(2);
    silent(&r, "-qq --json, a usage error");
    let v: serde_json::Value = r.json();
    assert_eq!(v["error"]["kind"], "usage", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--no-such-flag"),
        "{v}"
    );
}

/// In GitHub Actions, `-q` keeps an error's annotation and drops a
/// warning's (the rehearsal's and the lint's are warnings).
#[test]
fn quiet_keeps_error_annotations_and_drops_warning_ones() {
    let db = TestDb::new("quiet_annotations");
    let m = Migrations::new(&[("V1__a.sql", "CREATE TABLE a (id int);")]);
    let dir = m.arg();
    // A file the history disagrees with: an error, annotated at the file.
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &dir])
        .run()
        .code(0);
    m.write("V1__a.sql", "CREATE TABLE a (id bigint);");
    for q in ["-q", "-qq"] {
        let r = Neonops::new()
            .db(&db)
            .env("GITHUB_ACTIONS", "true")
            .args([q, "validate", "--dir", &dir])
            .run();
        assert_ne!(r.code, 0, "{q}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{q}: stdout");
        if q == "-q" {
            r.stderr_has("::error file=").stderr_has("V1__a.sql");
        } else {
            silent(&r, "-qq validate");
        }
    }
    assert_eq!(db.history().len(), 1);
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
