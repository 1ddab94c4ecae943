//! What a new user hit in their first hour (issue 18): each case failed
//! before its fix. The set-up scripts, the sandbox's URLs in other
//! clients, errors and exit codes, and what the output says.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{Migrations, Neonops, Run, TestDb, free_port, other_ca, sandbox};
use crate::json::{ErrorReport, Explanation, FleetReport, LintReport};

fn in_dir(db: &TestDb, m: &Migrations, args: &[&str]) -> Run {
    Neonops::new()
        .db(db)
        .args(args)
        .args(["--dir", &m.arg()])
        .run()
}

/// V1–V3 applied, then V1–V3 edited (divergent) and V4–V7 added.
fn divergent_then_pending(db: &TestDb) -> Migrations {
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__b.sql", "CREATE TABLE b (id int);"),
        ("V3__c.sql", "CREATE TABLE c (id int);"),
    ]);
    in_dir(db, &m, &["migrate"]).code(0);
    db.exec("INSERT INTO a SELECT generate_series(1, 10)");
    for (f, t) in [("V1__a.sql", "a"), ("V2__b.sql", "b"), ("V3__c.sql", "c")] {
        m.write(f, &format!("CREATE TABLE {t} (id bigint);"));
    }
    m.write("V4__index_a.sql", "CREATE INDEX a_id ON a (id);");
    m.write("V5__d.sql", "CREATE TABLE d (id int);");
    m.write("V6__e.sql", "CREATE TABLE e (id int);");
    m.write("V7__f.sql", "CREATE TABLE f (id int);");
    m
}

#[test]
fn lint_lists_a_divergent_history_and_still_checks_the_pending_files() {
    let db = TestDb::new("fh_lint_div");
    let m = divergent_then_pending(&db);
    let r = in_dir(&db, &m, &["lint"]);
    r.code(2)
        .stderr_has("V1__a.sql")
        .stderr_has("V3__c.sql")
        .stderr_has("changed after it was applied")
        .stdout_has("of 4 file(s)")
        .stdout_has("index-without-concurrently");
    let r = in_dir(&db, &m, &["--json", "lint"]);
    r.code(2);
    let rep: LintReport = r.json();
    assert!(!rep.ok);
    assert_eq!(rep.problems.len(), 3, "{:?}", rep.problems);
    assert_eq!(rep.summary.files, 4);
    // validate agrees on the same database.
    in_dir(&db, &m, &["validate"]).code(2);
}

#[test]
fn every_problem_is_listed_at_once_by_migrate_validate_and_status() {
    let db = TestDb::new("fh_all_at_once");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__b.sql", "CREATE TABLE b (id int);"),
    ]);
    in_dir(&db, &m, &["migrate"]).code(0);
    m.write("V2__b.sql", "CREATE TABLE b (id bigint);");
    m.write("V9__add-users.sql", "CREATE TABLE users (id int);");
    for cmd in ["migrate", "validate", "status"] {
        let r = in_dir(&db, &m, &[cmd]);
        r.code(2)
            .stderr_has("V9__add-users.sql")
            .stderr_has("V2__b.sql")
            .stderr_has("changed after it was applied")
            .stderr_has("2 problem(s)");
        let r = in_dir(&db, &m, &["--json", cmd]);
        r.code(2);
        let v: serde_json::Value = r.json();
        assert_eq!(v["problems"].as_array().unwrap().len(), 2, "{cmd}: {v}");
    }
    assert!(db.column("SELECT to_regclass('users')::text")[0].is_empty());
    // A divergent file alone: status exits 2 as for a misnamed one.
    m.remove("V9__add-users.sql");
    in_dir(&db, &m, &["status"])
        .code(2)
        .stdout_has("divergent")
        .stderr_has("changed after it was applied");
}

#[test]
fn a_single_problem_is_one_line_and_a_missing_directory_names_its_source_once() {
    let db = TestDb::new("fh_one_problem");
    let m = Migrations::new(&[("V1__add-users.sql", "CREATE TABLE u (id int);")]);
    for cmd in ["migrate", "status", "validate"] {
        let r = in_dir(&db, &m, &[cmd]);
        r.code(2).stderr_has("V1__add-users.sql");
        assert!(
            !r.stderr.contains('│'),
            "{cmd}: a table for one problem\n{}",
            r.stderr
        );
    }
    // The directory: said once, with a fix that fits where it came from.
    let r = Neonops::new()
        .args(["lint", "--offline", "--dir", "nosuchdir"])
        .run();
    r.code(2).stderr_has("nosuchdir").stderr_has("--dir");
    assert_eq!(r.stderr.matches("nosuchdir").count(), 1, "{}", r.stderr);
    assert!(!r.stderr.contains("set it with --dir"), "{}", r.stderr);
    let here = tempfile::tempdir().unwrap();
    let r = Neonops::new()
        .cwd(here.path())
        .args(["lint", "--offline"])
        .run();
    r.code(2)
        .stderr_has("the default")
        .stderr_has("neonops new");
}

#[test]
fn a_missing_password_is_said_once_with_its_fix() {
    let s = sandbox();
    let r = Neonops::new()
        .env("NEONOPS_RESOLVE", s.resolve())
        .args(["check", "--only", "direct", "--direct-url", &s.direct_url()])
        .run();
    r.code(3)
        .stdout_has("no_password")
        .stdout_has("Fix: put the password");
    assert_eq!(
        r.stdout.matches("none was given").count(),
        1,
        "{}",
        r.stdout
    );
    // The same failure met by migrate says the fix too.
    let empty = tempfile::tempdir().unwrap();
    let r = Neonops::new()
        .env("NEONOPS_RESOLVE", s.resolve())
        .args([
            "--json",
            "migrate",
            "--direct-url",
            &s.direct_url(),
            "--dir",
        ])
        .arg_path(empty.path())
        .run();
    r.code(3).stderr_has("Fix: put the password");
    let e: ErrorReport = r.json();
    assert_eq!(e.error.diagnosis.unwrap().cause, "no_password");
}

#[test]
fn the_fleet_says_what_it_did_not_reach_and_marks_its_canaries() {
    let s = sandbox();
    let good = TestDb::new("fh_fleet_ok");
    let bad = TestDb::new("fh_fleet_bad");
    let m = Migrations::new(&[("V1__a.sql", "CREATE TABLE a (id int);")]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tenants.txt");
    std::fs::write(
        &file,
        format!(
            "{}\npostgresql://{}:wrong-password@{}:{}/{}?sslmode=verify-full&sslrootcert={}\n",
            good.direct_url(),
            s.role,
            s.direct_host,
            s.port,
            bad.name,
            s.ca_file.display()
        ),
    )
    .unwrap();
    let fleet = |args: &[&str]| {
        Neonops::new()
            .sandbox()
            .args(args)
            .args(["--dir", &m.arg(), "--targets"])
            .arg_path(&file)
            .run()
    };
    let r = fleet(&["--json", "fleet", "status"]);
    r.code(1);
    let rep: FleetReport = r.json();
    assert_eq!(rep.targets[0].pending, Some(1));
    assert_eq!(rep.targets[1].outcome, "failed");
    assert_eq!(rep.targets[1].pending, None, "not reached: not known");
    assert_eq!((rep.summary.behind, rep.summary.unknown), (1, 1));
    let r = fleet(&["fleet", "status"]);
    r.code(1)
        .stdout_has("1 with migrations to apply, 1 not known");
    let row = r
        .stdout
        .lines()
        .find(|l| l.contains("failed") && l.contains(&bad.name))
        .unwrap_or_else(|| panic!("no row for the failed target\n{}", r.stdout));
    assert!(row.contains(" ? "), "version and pending unknown: {row}");
    // The canary is marked where the databases are listed.
    let r = fleet(&["fleet", "migrate", "--canary", "1", "--keep-going"]);
    r.code(1).stdout_has("(canary)");
    assert_eq!(r.stdout.matches("(canary)").count(), 1, "{}", r.stdout);

    // Listing the server's databases with a wrong password: said plainly.
    let url = format!(
        "postgresql://{}:wrong-password@{}:{}/{}?sslmode=verify-full&sslrootcert={}",
        s.role,
        s.pooled_host,
        s.port,
        good.name,
        s.ca_file.display()
    );
    let r = Neonops::new()
        .env("NEONOPS_RESOLVE", s.resolve())
        .env("DATABASE_URL", &url)
        .args(["fleet", "status", "--match", "t_fh_*", "--dir", &m.arg()])
        .run();
    r.code(3)
        .stderr_has(
            "listing the databases on the direct endpoint's server (derived from $DATABASE_URL)",
        )
        .lacks("server of derived")
        .lacks("wrong-password");
}

#[test]
fn url_explain_names_the_default_unix_socket() {
    let r = Neonops::new()
        .args(["url", "explain", "postgres:///db"])
        .run();
    r.code(0)
        .stdout_has("the Unix socket in libpq's default directory")
        .stdout_has(".s.PGSQL.5432")
        .stdout_has("names no host")
        .lacks(" :5432")
        .lacks(" is not a Neon endpoint");
    let x: Explanation = Neonops::new()
        .args(["--json", "url", "explain", "postgres:///db"])
        .run()
        .json();
    let h = &x.hosts[0];
    assert!(h["host"].as_str().unwrap().starts_with('/'), "{h}");
    assert_eq!(h["unix_socket"], true);
    assert_eq!(h["default"], true);
    assert!(
        h["socket"].as_str().unwrap().ends_with("/.s.PGSQL.5432"),
        "{h}"
    );
    // PGHOST names a directory: not the default, still a socket.
    let x: Explanation = Neonops::new()
        .env("PGHOST", "/run/elsewhere")
        .args(["--json", "url", "explain", "postgres:///db"])
        .run()
        .json();
    assert_eq!(x.hosts[0]["host"], "/run/elsewhere");
    assert_eq!(x.hosts[0]["default"], false);
}

/// A closed local port with the default connect budget (30 s).
#[test]
fn a_refused_connection_fails_at_once_in_every_command() {
    let url = format!(
        "postgresql://u@127.0.0.1:{}/db?sslmode=disable",
        free_port()
    );
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().display().to_string();
    for args in [
        &["migrate", "--dir", &dir][..],
        &["status", "--dir", &dir],
        &["validate", "--dir", &dir],
        &["lint", "--dir", &dir],
        &["check", "--dir", &dir],
        &["doctor"],
    ] {
        let started = Instant::now();
        let r = Neonops::new().args(args).args(["--direct-url", &url]).run();
        let took = started.elapsed();
        assert!(
            r.code == 3 || (args[0] == "doctor" && r.code == 1),
            "{args:?}: exit {}\n{}",
            r.code,
            r.stderr
        );
        assert!(
            took < Duration::from_secs(5),
            "{args:?} took {took:?}: a refused port is not retried"
        );
    }
    let r = Neonops::new()
        .args(["--json", "status", "--direct-url", &url, "--dir"])
        .arg_path(empty.path())
        .run();
    let e: ErrorReport = r.json();
    let c = e.error.connect.unwrap();
    assert_eq!((c.attempts, c.retryable), (1, false));
    assert_eq!(e.error.diagnosis.unwrap().cause, "connection_refused");
}

#[test]
fn pgbouncers_unknown_user_is_diagnosed() {
    let s = sandbox();
    let url = format!(
        "postgresql://nobody_here@{}:{}/neondb?sslmode=verify-full&sslrootcert={}",
        s.pooled_host,
        s.port,
        s.ca_file.display()
    );
    let r = Neonops::new()
        .env("NEONOPS_RESOLVE", s.resolve())
        .env("PGPASSWORD", "x")
        .args(["check", "--only", "pooled", "--database-url", &url])
        .run();
    r.code(3).stdout_has("unknown_role").lacks("unrecognised");
}

#[test]
fn lints_summary_counts_parse_errors() {
    let m = Migrations::new(&[
        ("V1__ok.sql", "CREATE TABLE a (id int);"),
        ("V2__broken.sql", "CREATE TABLE (;"),
    ]);
    let r = Neonops::new()
        .args(["lint", "--offline", "--dir", &m.arg()])
        .run();
    r.code(2)
        .stdout_has("1 parse error(s)")
        .stdout_has("V2__broken.sql:1:");
}

/// A file that sources scripts/lib.sh and prints what build_neonops finds.
fn build_neonops(target_dir: &Path) -> Run {
    let out = std::process::Command::new("bash")
        .args(["-c", ". scripts/lib.sh && build_neonops"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .expect("bash");
    Run::from_output(out, "build_neonops")
}

#[test]
fn the_scripts_ask_cargo_where_the_binary_is() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // This test's own binary: <target dir>/debug/neonops.
    let bin = Path::new(crate::harness::BIN);
    let target = bin.parent().unwrap().parent().unwrap();
    let r = build_neonops(target);
    r.code(0);
    assert_eq!(Path::new(r.stdout_trimmed()), bin);
    // No script guesses the path.
    for dir in ["scripts", "bench", ".ci"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            for guess in ["target/debug/neonops", "target/release/neonops"] {
                assert!(!text.contains(guess), "{} names {guess}", p.display());
            }
        }
    }
}

/// A PATH with stand-ins for apt-get and ldconfig: apt-get records how it
/// was called (and answers a simulation with an upgrade of libpq5 unless
/// it is held); ldconfig lists libpq first, then many more libraries, so
/// that a reader that stops at the first match closes the pipe on it.
fn fake_tools(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.join("apt.log");
    let write = |name: &str, text: String| {
        use std::os::unix::fs::PermissionsExt;
        let p = bin.join(name);
        std::fs::write(&p, text).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    write(
        "apt-get",
        format!(
            "#!/bin/sh\necho \"$*\" >> {log}\ncase \"$*\" in *' -s '*) case \"$*\" in *libpq5=15.18*) ;; *) echo 'Inst libpq5 [15.18-0+deb12u1] (15.20-0+deb12u1 Debian-Security:12 [amd64])';; esac;; esac\nexit 0\n",
            log = log.display()
        ),
    );
    write(
        "ldconfig",
        "#!/usr/bin/env python3\nimport sys\nprint('\\tlibpq.so.5 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libpq.so.5')\nfor i in range(200000):\n    print(f'\\tlibx{i}.so.1 (libc6,x86-64) => /usr/lib/libx{i}.so.1')\n".into(),
    );
    write("sudo", "#!/bin/sh\nexec \"$@\"\n".into());
    log
}

fn install_deps(dir: &Path, env: &[(&str, &str)]) -> Run {
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = std::process::Command::new("scripts/install-deps");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let child = crate::harness::spawn(&mut c);
    Run::from_output(child.wait_with_output().expect("wait"), "install-deps")
}

#[test]
fn install_deps_installs_nothing_when_everything_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let log = fake_tools(dir.path());
    // Five times: a check that races with its producer fails now and then.
    for _ in 0..5 {
        install_deps(dir.path(), &[]).code(0);
    }
    assert!(
        !log.exists(),
        "apt-get was called: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

#[test]
fn install_deps_never_upgrades_an_installed_package() {
    let dir = tempfile::tempdir().unwrap();
    let log = fake_tools(dir.path());
    install_deps(dir.path(), &[("NEONOPS_PG_BIN", "/nonexistent")])
        .code(0)
        .stderr_has("keeping at their installed versions: libpq5=15.18-0+deb12u1");
    let calls = std::fs::read_to_string(&log).unwrap();
    let install = calls
        .lines()
        .rfind(|l| l.starts_with("install") && !l.contains(" -s "))
        .unwrap_or_else(|| panic!("no install call:\n{calls}"));
    assert!(install.contains("--no-upgrade"), "{install}");
    assert!(install.contains("postgresql-15"), "{install}");
    assert!(install.contains("libpq5=15.18-0+deb12u1"), "{install}");
}

/// The sandbox's URLs, as `sandbox env` prints them, in libpq's own psql.
#[test]
fn psql_takes_the_sandboxs_urls_as_printed() {
    let s = sandbox();
    let psql = format!(
        "{}/psql",
        std::env::var("NEONOPS_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into())
    );
    let env: serde_json::Map<String, serde_json::Value> = Neonops::new()
        .args(["--json", "sandbox", "env", "--dir"])
        .arg_path(&s.dir)
        .run()
        .json();
    let pooled = env["DATABASE_URL"].as_str().unwrap().to_string();
    let run_psql = |url: &str| {
        std::process::Command::new(&psql)
            .args([url, "-XAtc", "select inet_server_addr()"])
            .env_clear()
            .env("PGPASSFILE", &s.passfile)
            .output()
            .expect("psql")
    };
    for (url, addr) in [(pooled.clone(), "127.0.0.3"), (s.direct_url(), "127.0.0.3")] {
        let out = run_psql(&url);
        assert!(
            out.status.success(),
            "psql {url}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), addr);
    }
    // verify-full still means something: another CA is not trusted.
    let (_keep, ca) = other_ca();
    let wrong = pooled.replace(&s.ca_file.display().to_string(), &ca);
    let out = run_psql(&wrong);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("certificate verify failed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// CREATE INDEX CONCURRENTLY in a transactional file fails at run time:
/// refused before anything is applied, on an environment that is not
/// protected too, and in validate and status.
#[test]
fn a_migration_that_cannot_succeed_is_refused_before_anything_is_applied() {
    let db = TestDb::new("fh_certain");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__b.sql", "CREATE TABLE b (id int);"),
        ("V3__index.sql", "CREATE INDEX CONCURRENTLY a_id ON a (id);"),
        ("V4__vacuum.sql", "CREATE TABLE c (id int);\nVACUUM a;"),
    ]);
    let r = in_dir(&db, &m, &["migrate"]);
    r.code(2)
        .stderr_has("V3__index.sql:1:1")
        .stderr_has("CREATE INDEX CONCURRENTLY cannot run inside a transaction block")
        .stderr_has("V4__vacuum.sql:2:1")
        .stderr_has("-- neonops:no-transaction")
        .lacks("25001");
    assert!(db.history().is_empty(), "{:?}", db.history());
    assert!(db.column("SELECT to_regclass('a')::text")[0].is_empty());
    in_dir(&db, &m, &["validate"])
        .code(2)
        .stderr_has("V3__index.sql");
    // Where it belongs, it applies.
    m.write(
        "V3__index.sql",
        "-- neonops:no-transaction\nCREATE INDEX CONCURRENTLY a_id ON a (id);",
    );
    m.write("V4__vacuum.sql", "CREATE TABLE c (id int);");
    in_dir(&db, &m, &["migrate"]).code(0);
    assert_eq!(db.history(), ["1", "2", "3", "4"]);
}

/// What the plan says of how long each lock is held.
#[test]
fn the_plan_says_how_long_each_lock_is_held() {
    let db = TestDb::new("fh_held");
    let m = Migrations::new(&[(
        "V1__t.sql",
        "CREATE TABLE t (id int, at timestamp); CREATE TABLE s (id int);",
    )]);
    in_dir(&db, &m, &["migrate"]).code(0);
    db.exec("SET TimeZone = 'UTC'");
    m.write(
        "V2__fill.sql",
        "INSERT INTO t (id) SELECT g FROM generate_series(1, 200000) g;",
    );
    m.write(
        "V3__index.sql",
        "-- neonops:no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);",
    );
    m.write(
        "V4__tz.sql",
        "ALTER TABLE t ALTER COLUMN at TYPE timestamptz;",
    );
    let r = in_dir(&db, &m, &["migrate", "--plan"]);
    r.code(0);
    let row = |needle: &str| {
        let at = r
            .stdout
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in the plan\n{}", r.stdout));
        r.stdout[at..].lines().next().unwrap().to_string()
    };
    assert!(
        row("INSERT INTO t").contains("while the rows"),
        "{}",
        r.stdout
    );
    assert!(
        !row("INSERT INTO t").contains("catalog change"),
        "{}",
        r.stdout
    );
    assert!(
        row("CREATE INDEX").contains("for the index"),
        "{}",
        r.stdout
    );
    assert!(!row("CREATE INDEX").contains("COMMIT"), "{}", r.stdout);
    assert!(
        !row("CREATE INDEX").contains("catalog change"),
        "{}",
        r.stdout
    );
    // The server's TimeZone is UTC (Neon's and the sandbox's default): no
    // rewrite, and the plan says on what condition.
    r.stdout_has("while the session's TimeZone is UTC");
}

/// The advice for a column type that rewrites the table is SQL, and that
/// SQL, one file a step, does the change through `neonops migrate`.
#[test]
fn the_expand_and_contract_advice_runs_as_given() {
    let db = TestDb::new("fh_expand");
    let m = Migrations::new(&[(
        "V1__orders.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, qty int);",
    )]);
    in_dir(&db, &m, &["migrate"]).code(0);
    db.exec(
        "INSERT INTO orders SELECT g, g % 1000 FROM generate_series(1, 25000) g; ANALYZE orders;",
    );
    let change = Migrations::new(&[(
        "V2__qty.sql",
        "ALTER TABLE orders ALTER COLUMN qty TYPE bigint;",
    )]);
    let r = Neonops::new()
        .args(["--json", "lint", "--offline", "--dir", &change.arg()])
        .run();
    let rep: LintReport = r.json();
    let f = rep
        .findings
        .iter()
        .find(|f| f.rule == "column-type-rewrite")
        .expect("a column-type-rewrite finding");
    let advice = f.safe_alternative.clone().expect("SQL");
    // One file per step, as the advice says.
    let mut steps: Vec<String> = Vec::new();
    for line in advice.lines() {
        if line.starts_with("-- step ") {
            let header = if line.contains("neonops:no-transaction") {
                "-- neonops:no-transaction\n"
            } else {
                ""
            };
            steps.push(format!("{header}{line}\n"));
        } else if let Some(s) = steps.last_mut()
            && !line.starts_with("Changes that need no rewrite")
        {
            s.push_str(line);
            s.push('\n');
        }
    }
    assert_eq!(steps.len(), 4, "{advice}");
    for (i, sql) in steps.iter().enumerate() {
        m.write(&format!("V{}__step{}.sql", i + 2, i + 1), sql);
        // Rows keep arriving between the steps: the trigger keeps them in step.
        db.exec(&format!(
            "INSERT INTO orders (id, qty) VALUES ({}, 7)",
            100_000 + i
        ));
        in_dir(&db, &m, &["migrate"]).code(0);
    }
    assert_eq!(
        db.column("SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'qty'"),
        ["bigint"]
    );
    assert_eq!(
        db.column("SELECT coalesce(string_agg(id || ':' || coalesce(qty::text, 'null'), ','), '') FROM orders WHERE qty IS NULL OR qty <> CASE WHEN id >= 100000 THEN 7 ELSE id % 1000 END"),
        [""]
    );
    assert_eq!(db.column("SELECT count(*) FROM orders"), ["25004"]);
}

/// `lint --trace`: IF EXISTS on what does not exist locks nothing (that
/// agrees), and DROP INDEX of an index the files did not name is claimed
/// on its table too (the claims use the trace database's catalog).
#[test]
fn the_trace_agrees_with_if_exists_and_drop_index() {
    let s = sandbox();
    let m = Migrations::new(&[
        (
            "V1__orders.sql",
            "CREATE TABLE orders (id int, a int);\nCREATE INDEX ON orders (a);",
        ),
        (
            "V2__drops.sql",
            "DROP INDEX orders_a_idx;\nDROP INDEX IF EXISTS no_such_index;\nDROP TABLE IF EXISTS no_such_table;",
        ),
    ]);
    let r = Neonops::new()
        .env("NEONOPS_SANDBOX_DIR", &s.dir)
        .args(["--json", "lint", "--offline", "--trace", "--dir", &m.arg()])
        .run();
    let v: serde_json::Value = r.json();
    let traced = v["trace"]["statements"].as_array().unwrap();
    assert_eq!(traced.len(), 5, "{v:#}");
    assert!(traced.iter().all(|t| t["agrees"] == true), "{v:#}");
    let drop = &traced[2];
    let tables: Vec<&str> = drop["claimed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["table"].as_str().unwrap())
        .collect();
    assert!(
        tables.contains(&"orders") && tables.contains(&"orders_a_idx"),
        "{drop:#}"
    );
    assert!(
        traced[3]["note"]
            .as_str()
            .unwrap()
            .contains("did not exist"),
        "{:#}",
        traced[3]
    );
    r.code(0);
}

/// On a terminal, a migration that runs for seconds shows which file and
/// which statement the server is on, and for how long, while it runs.
#[test]
fn a_long_migration_shows_its_file_statement_and_time_on_a_terminal() {
    let db = TestDb::new("fh_live");
    let m = Migrations::new(&[
        ("V1__t.sql", "CREATE TABLE t (id int);"),
        (
            "V2__slow.sql",
            "INSERT INTO t SELECT generate_series(1, 1000);\nSELECT pg_sleep(1.5);\nUPDATE t SET id = id + 1;",
        ),
        (
            "V3__index.sql",
            "-- neonops:no-transaction\nSELECT pg_sleep(1);\nCREATE INDEX CONCURRENTLY t_id ON t (id);",
        ),
    ]);
    let r = Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run_on_terminal();
    r.code(0);
    let out = &r.stdout;
    assert!(
        out.contains("running V2__slow · statement 2 of 3: SELECT pg_sleep(1.5)"),
        "{out}"
    );
    assert!(
        out.contains("running V3__index · statement 1 of 2: SELECT pg_sleep(1)"),
        "{out}"
    );
    // The time it has taken, rewritten as it goes.
    assert!(
        out.contains(" · 1.0 s") || out.contains(" · 1.1 s"),
        "{out}"
    );
    assert!(out.contains("applied  V2__slow"), "{out}");
    assert_eq!(db.history(), ["1", "2", "3"]);
    assert_eq!(db.column("SELECT min(id)::text FROM t"), ["2"]);
    // Piped, or with -q: no live line.
    let db2 = TestDb::new("fh_live_piped");
    let r = Neonops::new()
        .db(&db2)
        .args(["migrate", "--dir", &m.arg()])
        .run();
    r.code(0).lacks("running V2");
}

/// A command's own options first; the global ones under a heading of their own.
#[test]
fn help_puts_the_global_options_under_their_own_heading() {
    for cmd in ["migrate", "lint", "check", "doctor"] {
        let r = Neonops::new().args([cmd, "--help"]).run();
        r.code(0);
        let out = &r.stdout;
        let heading = out
            .find("Global options:")
            .unwrap_or_else(|| panic!("{cmd} --help: no heading\n{out}"));
        let own = out.find("-h, --help").expect("--help");
        assert!(own < heading, "{cmd}: its own options first\n{out}");
        // Where an option is defined: a line that starts with it.
        let defined = |flag: &str| {
            let mut at = 0;
            out.lines()
                .find_map(|l| {
                    let here = at;
                    at += l.len() + 1;
                    let t = l.trim_start();
                    (t.starts_with(flag) || t.contains(&format!(", {flag}"))).then_some(here)
                })
                .unwrap_or_else(|| panic!("{cmd}: {flag} not defined\n{out}"))
        };
        for global in ["--database-url", "--direct-url", "--json", "--quiet"] {
            assert!(
                defined(global) > heading,
                "{cmd}: {global} among the command's own\n{out}"
            );
        }
    }
    let r = Neonops::new().args(["migrate", "--help"]).run();
    let heading = r.stdout.find("Global options:").unwrap();
    assert!(r.stdout.find("--dir").unwrap() < heading, "{}", r.stdout);
}
