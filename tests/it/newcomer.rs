//! What a newcomer found (issue 28, part 6), each with the test that
//! failed before its fix.

use crate::harness::{Migrations, Neonops, TestDb, sandbox};

fn two() -> Migrations {
    Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__b.sql", "CREATE TABLE b (id int);"),
    ])
}

#[test]
fn a_version_no_file_has_is_an_input_error_not_nothing_to_apply() {
    let db = TestDb::new("nc_target");
    let m = two();
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg(), "--target", "99"])
        .run()
        .code(2)
        .stderr_has("--target: no V99: the highest is V2");
    assert!(db.history().is_empty(), "nothing changed");
    Neonops::new()
        .db(&db)
        .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
        .args([
            "diff",
            "--from",
            "migrations@99",
            "--to",
            "migrations",
            "--dir",
            &m.arg(),
        ])
        .run()
        .code(2)
        .stderr_has("migrations@99: no V99: the highest is V2");
    // A version of the files still works.
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg(), "--target", "1"])
        .run()
        .code(0);
    assert_eq!(db.history(), ["1"]);
}

#[test]
fn usage_errors_are_json_with_json() {
    for args in [
        vec!["statsu", "--json"],
        vec!["--json", "migrate", "--no-such-flag"],
    ] {
        let r = Neonops::new().args(&args).run();
        r.code(2);
        let v: serde_json::Value = r.json();
        assert_eq!(v["ok"], false, "{args:?}");
        assert_eq!(v["exit_code"], 2);
        assert_eq!(v["error"]["kind"], "usage");
        let m = v["error"]["message"].as_str().unwrap();
        assert!(m.contains("statsu") || m.contains("--no-such-flag"), "{m}");
        assert!(!m.contains("Usage:"), "{m}");
    }
}

/// `--format json` is `--json` for a command's report, and for its error:
/// one JSON document on stdout either way.
#[test]
fn an_error_is_json_with_format_json_too() {
    for cmd in ["migrate", "status", "validate"] {
        let r = Neonops::new()
            .args([cmd, "--format", "json", "--dir", "nosuchdir"])
            .env("DATABASE_URL", "postgresql://u@127.0.0.1:1/db")
            .run();
        r.code(2);
        let v: serde_json::Value = r.json();
        assert_eq!(v["ok"], false, "{cmd}: {v}");
        assert_eq!(v["error"]["kind"], "usage", "{cmd}: {v}");
        let m = v["error"]["message"].as_str().unwrap();
        assert!(m.contains("nosuchdir"), "{cmd}: {m}");
    }
}

#[test]
fn a_fix_follows_its_message_with_one_stop() {
    // Nothing listens on this port: the diagnosis ends in a question.
    let port = crate::harness::free_port();
    let m = two();
    let r = Neonops::new()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args([
            "status",
            "--dir",
            &m.arg(),
            "--direct-url",
            &format!("postgresql://u@127.0.0.1:{port}/db?sslmode=disable"),
        ])
        .run();
    r.code(3).stderr_has("? Fix: ").lacks("?. Fix");
    // A migration's error at its line and column, then its fix.
    let db = TestDb::new("nc_fix");
    let m = Migrations::new(&[(
        "V1__bad.sql",
        "CREATE TABLE a (id int);\nINSERT INTO a VALUES ('x');",
    )]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(1)
        .stderr_has("). Fix: fix the migration")
        .lacks("). fix the migration");
}

#[test]
fn an_environment_with_only_a_pooled_url_derives_its_direct_one() {
    let db = TestDb::new("nc_env");
    let m = two();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!(
            "[migrations]\ndir = \"{}\"\n\n[environments.production]\ndatabase_url_var = \"PROD_DATABASE_URL\"\ndirect_url_var = \"PROD_DATABASE_URL_DIRECT\"\n",
            m.arg()
        ),
    )
    .unwrap();
    Neonops::new()
        .sandbox()
        .cwd(dir.path())
        .env("PROD_DATABASE_URL", db.pooled_url())
        .args(["migrate", "--env", "production"])
        .run()
        .code(0)
        .stdout_has("2 migration(s) applied")
        .lacks("which is not set");
    assert_eq!(db.history(), ["1", "2"]);
}

#[test]
fn url_explain_says_which_pooler_it_assumed_and_why() {
    let cases = [
        (
            "postgresql://postgres.abc@aws-0-eu-central-1.pooler.supabase.com:6543/postgres",
            "Supabase's pooler (Supavisor)",
            "transaction",
            "6543",
        ),
        (
            "postgresql://postgres.abc@aws-0-eu-central-1.pooler.supabase.com:5432/postgres",
            "Supabase's pooler (Supavisor)",
            "session",
            "5432",
        ),
        (
            "postgresql://u@app.proxy-c1abc2defgh3.us-east-1.rds.amazonaws.com/db",
            "AWS RDS Proxy",
            "transaction",
            "RDS Proxy",
        ),
        (
            "postgresql://u@10.1.2.3:6432/db",
            "PgBouncer",
            "transaction",
            "6432",
        ),
    ];
    for (url, product, mode, why) in cases {
        let r = Neonops::new().args(["--json", "url", "explain", url]).run();
        r.code(0);
        let v: serde_json::Value = r.json();
        let h = &v["hosts"][0];
        assert_eq!(h["kind"], "known_pooler", "{url}: {v}");
        assert_eq!(h["product"], product);
        assert_eq!(h["mode"], mode);
        assert!(h["why"].as_str().unwrap().contains(why), "{h}");
        Neonops::new()
            .args(["url", "explain", url])
            .run()
            .code(0)
            .stdout_has("taken for");
    }
}

#[test]
fn diff_says_a_type_change_may_rewrite_only_when_the_lint_says_it_does() {
    let db = TestDb::new("nc_hazard");
    db.exec("CREATE TABLE t (a varchar(50), b int)");
    let m = Migrations::new(&[("V1__t.sql", "CREATE TABLE t (a text, b bigint);")]);
    let r = Neonops::new()
        .db(&db)
        .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
        .args([
            "--json",
            "diff",
            "--from",
            "live",
            "--to",
            "migrations",
            "--dir",
            &m.arg(),
        ])
        .run();
    r.code(0);
    let v: serde_json::Value = r.json();
    let hazards = |name: &str| {
        v["differences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .unwrap_or_else(|| panic!("no {name}: {v}"))["hazards"]
            .to_string()
    };
    assert!(!hazards("public.t.a").contains("rewrite"), "{v}");
    assert!(hazards("public.t.b").contains("may rewrite"), "{v}");
}

#[test]
fn several_input_problems_are_listed_a_line_each_never_wrapped() {
    let db = TestDb::new("nc_wrap");
    let m = Migrations::new(&[
        (
            "V1__a.sql",
            "CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_id ON a (id);",
        ),
        (
            "V2__b.sql",
            "CREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_id ON b (id);",
        ),
    ]);
    let r = Neonops::new()
        .db(&db)
        .args(["validate", "--dir", &m.arg()])
        .run();
    r.code(2);
    for f in ["V1__a.sql", "V2__b.sql"] {
        let line = r
            .stderr
            .lines()
            .find(|l| l.contains(f) && l.contains("cannot run inside a transaction block"))
            .unwrap_or_else(|| panic!("no line for {f}:\n{}", r.stderr));
        assert!(
            line.contains("whose first line is `-- neonops:no-transaction`"),
            "{line}"
        );
    }
    assert!(db.history().is_empty());
}

#[test]
fn a_plain_view_is_created_as_it_is_and_outside_a_transaction_is_said_once() {
    let db = TestDb::new("nc_view");
    db.exec("CREATE TABLE t (id int, a int, b int)");
    let m = Migrations::new(&[(
        "V1__t.sql",
        "CREATE TABLE t (id int, a int, b int);\nCREATE VIEW v AS SELECT id FROM t;\nCREATE INDEX t_a ON t (a);\nCREATE INDEX t_b ON t (b);",
    )]);
    let r = Neonops::new()
        .db(&db)
        .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
        .args([
            "diff",
            "--from",
            "live",
            "--to",
            "migrations",
            "--dir",
            &m.arg(),
        ])
        .run();
    r.code(0);
    assert!(
        !r.stdout.contains("NULL::integer AS id"),
        "no stand-in for a view that reads nothing of itself:\n{}",
        r.stdout
    );
    assert!(r.stdout.contains("CREATE VIEW public.v AS"), "{}", r.stdout);
    assert_eq!(
        r.stdout.matches("CREATE INDEX CONCURRENTLY").count(),
        2,
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stdout.matches("-- outside a transaction").count(),
        1,
        "{}",
        r.stdout
    );
}

#[test]
fn scripts_demo_puts_neonops_on_path_as_the_readme_writes_it() {
    // The step scripts/demo ends with, on the binary under test.
    let dir = tempfile::tempdir().unwrap();
    let bin_dir = dir.path().join("bin");
    let root = env!("CARGO_MANIFEST_DIR");
    let demo = std::fs::read_to_string(format!("{root}/scripts/demo")).unwrap();
    assert!(
        demo.contains("link_neonops \"$neonops\" \"${CARGO_HOME:-$HOME/.cargo}/bin\""),
        "scripts/demo links neonops"
    );
    assert!(
        demo.contains("+ cargo build"),
        "scripts/demo says what its first build does"
    );
    let run = |path: &str| {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                ". {root}/scripts/lib.sh && link_neonops {} {} && neonops --version",
                crate::harness::bin(),
                bin_dir.display()
            ))
            .env("PATH", path)
            .output()
            .unwrap()
    };
    // Not on PATH yet: linked, and told how; bare `neonops` then fails.
    let out = run("/usr/bin:/bin");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("add it to your PATH: export PATH="),
        "{stdout}"
    );
    // On PATH: bare `neonops` runs the binary.
    let out = run(&format!("{}:/usr/bin:/bin", bin_dir.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("neonops 0."), "{stdout}");
    assert!(!stdout.contains("add it to your PATH"), "{stdout}");
}
