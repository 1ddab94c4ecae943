//! Pooler-proof at run time (issue 28): real PgBouncer processes in
//! transaction, statement and session mode in front of the sandbox's
//! PostgreSQL, reached by a bare loopback address that no URL rule knows.
//! Session work is refused through the first two before anything changes,
//! works through the third, and never leaves the migration lock behind.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{Migrations, Neonops, TestDb, free_port, sandbox};

/// A PgBouncer of the test's own, in `mode`, on 127.0.0.1 at a free port,
/// configured as the sandbox's (TLS both ways, SCRAM through auth_query).
pub struct Bouncer {
    pub port: u16,
    dir: PathBuf,
}

impl Bouncer {
    pub fn start(mode: &str) -> Bouncer {
        let s = sandbox();
        let port = free_port();
        let dir = s.dir.join(format!("bouncer-{mode}-{port}"));
        std::fs::create_dir_all(&dir).expect("bouncer dir");
        let ini = std::fs::read_to_string(s.dir.join("pgbouncer/pgbouncer.ini")).expect("ini");
        let ini: String = ini
            .lines()
            .map(|l| match l.split(" = ").next().unwrap_or("") {
                "listen_addr" => "listen_addr = 127.0.0.1".to_string(),
                "listen_port" => format!("listen_port = {port}"),
                "pool_mode" => format!("pool_mode = {mode}"),
                "pidfile" => format!("pidfile = {}", dir.join("pgbouncer.pid").display()),
                "logfile" => format!("logfile = {}", dir.join("pgbouncer.log").display()),
                _ => l.to_string(),
            })
            .map(|l| l + "\n")
            .collect();
        let path = dir.join("pgbouncer.ini");
        std::fs::write(&path, ini).expect("write ini");
        let bin = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("pgbouncer installed (scripts/install-deps)");
        let root = nix::unistd::getuid().is_root();
        let status = if root {
            let _ = Command::new("chown")
                .args(["-R", &s.server_user])
                .arg(&dir)
                .status();
            Command::new("runuser")
                .args(["-u", &s.server_user, "--", bin, "-d"])
                .arg(&path)
                .status()
        } else {
            Command::new(bin).arg("-d").arg(&path).status()
        }
        .expect("run pgbouncer");
        assert!(
            status.success(),
            "pgbouncer -d {}: {status}",
            path.display()
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "pgbouncer did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Bouncer { port, dir }
    }

    /// This database through the bouncer, by address: no rule of neonops
    /// knows it for a pooler.
    pub fn url(&self, db: &TestDb) -> String {
        let s = sandbox();
        format!(
            "postgresql://{}@127.0.0.1:{}/{}?sslmode=require",
            s.role, self.port, db.name
        )
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("pgbouncer.pid"))
            && let Ok(pid) = pid.trim().parse::<i32>()
        {
            // SAFETY: kill(2) on the pid PgBouncer wrote for itself.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
    }
}

/// The sandbox's own PgBouncer (transaction mode), by its bare address.
fn sandbox_bouncer_url(db: &TestDb) -> String {
    let s = sandbox();
    format!(
        "postgresql://{}@127.0.0.2:{}/{}?sslmode=require",
        s.role, s.port, db.name
    )
}

fn three_migrations() -> Migrations {
    Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__b.sql", "CREATE TABLE b (id int);"),
        (
            "V3__c.sql",
            "-- neonops:no-transaction\nCREATE INDEX CONCURRENTLY a_id ON a (id);",
        ),
    ])
}

/// Session-level advisory locks held in the database, seen from a direct session.
fn advisory_locks(db: &TestDb) -> usize {
    db.column(
        "SELECT count(*)::text FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
         WHERE l.locktype = 'advisory' AND d.datname = current_database() AND l.pid <> pg_backend_pid()",
    )[0]
    .parse()
    .unwrap()
}

/// A finding of doctor's JSON report, by check (and endpoint).
fn finding(report: &serde_json::Value, check: &str, endpoint: Option<&str>) -> serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check && endpoint.is_none_or(|e| f["endpoint"] == e))
        .unwrap_or_else(|| panic!("no {check} finding: {report}"))
        .clone()
}

fn user_tables(db: &TestDb) -> Vec<String> {
    db.column("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
}

fn migrate(url: &str, m: &Migrations, extra: &[&str]) -> crate::harness::Run {
    Neonops::new()
        .sandbox()
        .args(["migrate", "--dir", &m.arg(), "--direct-url", url])
        .args(extra)
        .run()
}

/// Through a pooler the run must refuse: exit 2 before any change, the
/// pooler named with the fix, no lock left, and the next run on the
/// direct URL applies at once (no lock wait allowed).
fn refused_then_direct_applies(db: &TestDb, url: &str, target: &str) {
    let m = three_migrations();
    let r = migrate(url, &m, &[]);
    r.code(2)
        .stderr_has(&format!("a transaction pooler at {target}"))
        .stderr_has("--direct-url")
        .stderr_has("direct_host")
        .stderr_has("nothing was changed");
    assert!(user_tables(db).is_empty(), "{:?}", user_tables(db));
    assert_eq!(advisory_locks(db), 0, "no migration lock left behind");
    // --json: the same refusal, typed, on stdout.
    let j = Neonops::new()
        .sandbox()
        .args(["--json", "migrate", "--dir", &m.arg(), "--direct-url", url])
        .run();
    j.code(2);
    let v: serde_json::Value = j.json();
    assert_eq!(v["ok"], false);
    assert_eq!(v["exit_code"], 2);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("a transaction pooler at"),
        "{v}"
    );
    assert_eq!(advisory_locks(db), 0);
    migrate(&db.direct_url(), &m, &["--lock-wait", "0s"])
        .code(0)
        .stdout_has("3 migration(s) applied");
    assert_eq!(db.history(), ["1", "2", "3"]);
    assert_eq!(advisory_locks(db), 0);
}

#[test]
fn migrate_refuses_the_sandboxs_transaction_pooler_at_a_bare_address_before_any_change() {
    let db = TestDb::new("pooler_txn");
    let url = sandbox_bouncer_url(&db);
    refused_then_direct_applies(&db, &url, &format!("127.0.0.2:{}", sandbox().port));
}

#[test]
fn migrate_refuses_a_statement_pooler_before_any_change() {
    let db = TestDb::new("pooler_stmt");
    let b = Bouncer::start("statement");
    refused_then_direct_applies(&db, &b.url(&db), &format!("127.0.0.1:{}", b.port));
}

#[test]
fn migrate_refuses_a_transaction_pooler_of_its_own_before_any_change() {
    let db = TestDb::new("pooler_txn2");
    let b = Bouncer::start("transaction");
    refused_then_direct_applies(&db, &b.url(&db), &format!("127.0.0.1:{}", b.port));
}

#[test]
fn migrate_works_through_a_session_pooler_and_leaves_no_lock() {
    let db = TestDb::new("pooler_session");
    let b = Bouncer::start("session");
    let m = three_migrations();
    migrate(&b.url(&db), &m, &[])
        .code(0)
        .stdout_has("3 migration(s) applied");
    assert_eq!(db.history(), ["1", "2", "3"]);
    assert_eq!(
        user_tables(&db),
        [
            "a",
            "b",
            "refinery_schema_history",
            "refinery_schema_history_progress"
        ]
    );
    assert_eq!(
        advisory_locks(&db),
        0,
        "released and checked, not left to the pooler"
    );
    // The next runs, through it and direct, get the lock at once.
    migrate(&b.url(&db), &m, &["--lock-wait", "0s"])
        .code(0)
        .stdout_has("nothing to apply");
    migrate(&db.direct_url(), &m, &["--lock-wait", "0s"])
        .code(0)
        .stdout_has("nothing to apply");
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn the_direct_endpoint_is_proven_by_its_cancel_key_alone() {
    // No probe: the second client is never connected (the server's log
    // would show it; here, the run's own debug line says how it was proven).
    let db = TestDb::new("pooler_direct");
    let m = three_migrations();
    let r = Neonops::new()
        .sandbox()
        .env("NEONOPS_LOG", "neonops=debug")
        .args([
            "migrate",
            "--dir",
            &m.arg(),
            "--direct-url",
            &db.direct_url(),
        ])
        .run();
    r.code(0)
        .stderr_has("migration lock released, none held (pg_locks)")
        .lacks("probing");
    assert_eq!(advisory_locks(&db), 0);
}

/// An idle session holding neonops' migration lock, as a run killed with
/// kill -9 through a pooler leaves it: psql, its input left open.
struct IdleHolder {
    child: std::process::Child,
    _stdin: std::process::ChildStdin,
}

impl IdleHolder {
    fn start(db: &TestDb) -> IdleHolder {
        use std::io::Write;
        let key = neonops::migrate::run::lock_key(
            &neonops::migrate::Table::new("refinery_schema_history").unwrap(),
        );
        let psql = format!(
            "{}/psql",
            std::env::var("NEONOPS_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into())
        );
        let mut child = Command::new(psql)
            .arg(db.direct_url())
            .args(["-X", "-q"])
            .env("PGPASSFILE", &sandbox().passfile)
            .env("PGAPPNAME", "neonops/killed-run")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("psql");
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "SELECT pg_advisory_lock({key});").unwrap();
        stdin.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while advisory_locks(db) == 0 {
            assert!(Instant::now() < deadline, "the holder never took the lock");
            std::thread::sleep(Duration::from_millis(50));
        }
        IdleHolder {
            child,
            _stdin: stdin,
        }
    }
}

impl Drop for IdleHolder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_stale_idle_holder_is_named_failed_by_doctor_and_ended_by_unlock() {
    let db = TestDb::new("stale_lock");
    let m = three_migrations();
    let _holder = IdleHolder::start(&db);
    let pid = db.column(
        "SELECT pid::text FROM pg_stat_activity WHERE application_name = 'neonops/killed-run'",
    )[0]
    .clone();
    // The lock wait names the holder and what ends it.
    let r = migrate(&db.direct_url(), &m, &["--lock-wait", "1s"]);
    r.code(1)
        .stderr_has(&format!("pid {pid}"))
        .stderr_has("application_name \"neonops/killed-run\"")
        .stderr_has("idle since")
        .stderr_has(&format!("SELECT pg_terminate_backend({pid})"))
        .stderr_has("neonops unlock");
    assert!(db.history().is_empty());
    // doctor: a failed check with the same fix.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!("[migrations]\ndir = \"{}\"\n", m.arg()),
    )
    .unwrap();
    let d = Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["--json", "doctor"])
        .run();
    d.code(1);
    let v: serde_json::Value = d.json();
    let lock = finding(&v, "migration lock", None);
    assert_eq!(lock["status"], "fail", "{lock}");
    assert!(
        lock["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("pid {pid}")),
        "{lock}"
    );
    assert!(
        lock["fix"]
            .as_str()
            .unwrap()
            .contains(&format!("pg_terminate_backend({pid})")),
        "{lock}"
    );
    // Without a terminal or --yes, unlock refuses and ends nothing.
    Neonops::new()
        .db(&db)
        .args(["unlock"])
        .run()
        .code(2)
        .stderr_has("pass --yes");
    assert_eq!(advisory_locks(&db), 1);
    // With --yes it ends the idle holder, and the next migrate applies at once.
    let u = Neonops::new()
        .db(&db)
        .args(["--json", "--yes", "unlock"])
        .run();
    u.code(0);
    let v: serde_json::Value = u.json();
    assert_eq!(v["ended"], true, "{v}");
    assert_eq!(v["holder"]["pid"].to_string(), pid);
    assert_eq!(advisory_locks(&db), 0);
    migrate(&db.direct_url(), &m, &["--lock-wait", "0s"])
        .code(0)
        .stdout_has("3 migration(s) applied");
    // Nothing holds it now: unlock says so.
    Neonops::new()
        .db(&db)
        .args(["unlock"])
        .run()
        .code(0)
        .stdout_has("the migration lock is free");
}

#[test]
fn unlock_never_ends_an_active_holder() {
    let db = TestDb::new("active_lock");
    let slow = Migrations::new(&[("V1__slow.sql", "SELECT pg_sleep(6);")]);
    let child = Neonops::new()
        .sandbox()
        .args([
            "migrate",
            "--dir",
            &slow.arg(),
            "--direct-url",
            &db.direct_url(),
        ])
        .spawn();
    let deadline = Instant::now() + Duration::from_secs(10);
    while advisory_locks(&db) == 0 {
        assert!(Instant::now() < deadline, "the run never took the lock");
        std::thread::sleep(Duration::from_millis(50));
    }
    Neonops::new()
        .db(&db)
        .args(["--yes", "unlock"])
        .run()
        .code(1)
        .stderr_has("never ends an active holder");
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(db.history(), ["1"]);
    assert_eq!(advisory_locks(&db), 0);
}

/// A run stopped by a signal while a migration runs: the statement is
/// cancelled, its migration rolled back, the lock released, checked.
fn signalled_mid_run(db: &TestDb, url: &str, signal: i32, name: &str) {
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE s1 (id int);"),
        (
            "V2__slow.sql",
            "CREATE TABLE s2 (id int); SELECT pg_sleep(30);",
        ),
    ]);
    let child = Neonops::new()
        .sandbox()
        .args(["migrate", "--dir", &m.arg(), "--direct-url", url])
        .spawn();
    let deadline = Instant::now() + Duration::from_secs(15);
    while db.column(
        "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()",
    )[0] == "0"
    {
        assert!(Instant::now() < deadline, "V2 never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let started = Instant::now();
    // SAFETY: kill(2) on our child's pid, not yet reaped.
    unsafe { libc::kill(child.id() as i32, signal) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("interrupted by {name}")),
        "{stderr}"
    );
    assert!(stderr.contains("checked in pg_locks"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(db.history(), ["1"], "V2 rolled back");
    assert_eq!(user_tables(db), ["refinery_schema_history", "s1"]);
    assert_eq!(advisory_locks(db), 0);
    assert_eq!(
        db.column(
            "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()"
        )[0],
        "0",
        "the statement was cancelled, not left to run"
    );
}

#[test]
fn sigterm_and_sigint_mid_run_leave_no_lock_direct_and_through_a_session_pooler() {
    let b = Bouncer::start("session");
    for (i, (signal, name)) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")]
        .into_iter()
        .enumerate()
    {
        let direct = TestDb::new(&format!("sig_direct_{i}"));
        signalled_mid_run(&direct, &direct.direct_url(), signal, name);
        let pooled = TestDb::new(&format!("sig_session_{i}"));
        signalled_mid_run(&pooled, &b.url(&pooled), signal, name);
    }
}

#[test]
fn kill_9_through_a_session_pooler_leaves_no_lock_the_next_run_cannot_get() {
    let db = TestDb::new("kill9_session");
    let b = Bouncer::start("session");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE k1 (id int);"),
        (
            "V2__slow.sql",
            "CREATE TABLE k2 (id int); SELECT pg_sleep(2);",
        ),
    ]);
    let mut child = Neonops::new()
        .sandbox()
        .args(["migrate", "--dir", &m.arg(), "--direct-url", &b.url(&db)])
        .spawn();
    let deadline = Instant::now() + Duration::from_secs(15);
    while advisory_locks(&db) == 0 {
        assert!(Instant::now() < deadline, "the run never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // Every message had left before the kill: the server runs them to the
    // end (V2 is atomic: all of it or none), PgBouncer then resets or
    // closes the server connection, and the lock goes with it. The next
    // run waits for that at most, naming the holder, then finishes.
    migrate(&db.direct_url(), &m, &["--lock-wait", "20s"]).code(0);
    assert_eq!(db.history(), ["1", "2"]);
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn doctor_fails_the_session_check_of_a_transaction_pooler_the_url_does_not_name() {
    let db = TestDb::new("pooler_doctor");
    let r = Neonops::new()
        .sandbox()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args([
            "--json",
            "doctor",
            "--direct-url",
            &sandbox_bouncer_url(&db),
        ])
        .run();
    r.code(1);
    let v: serde_json::Value = r.json();
    let session = finding(&v, "session", Some("direct"));
    assert_eq!(session["status"], "fail", "{session}");
    assert!(
        session["detail"]
            .as_str()
            .unwrap()
            .starts_with("a transaction pooler: "),
        "{session}"
    );
    assert!(session["fix"].as_str().unwrap().contains("direct_host"));
    // The real direct endpoint passes it, proven by its cancel key.
    let ok = Neonops::new()
        .sandbox()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args(["--json", "doctor", "--direct-url", &db.direct_url()])
        .run();
    let v: serde_json::Value = ok.json();
    let session = finding(&v, "session", Some("direct"));
    assert_eq!(session["status"], "pass", "{session}");
    assert!(
        session["detail"]
            .as_str()
            .unwrap()
            .contains("the cancel key names the backend")
    );
}

#[test]
fn lint_trace_refuses_a_transaction_pooler_and_works_through_a_session_pooler() {
    let db = TestDb::new("pooler_trace");
    db.exec("CREATE TABLE t (id int)");
    let m = Migrations::new(&[("V1__i.sql", "CREATE INDEX t_id ON t (id);")]);
    let trace = |url: &str| {
        Neonops::new()
            .sandbox()
            .args([
                "--json",
                "lint",
                "--trace",
                "--trace-url",
                url,
                "--dir",
                &m.arg(),
            ])
            .run()
    };
    let r = trace(&sandbox_bouncer_url(&db));
    r.code(2);
    let v: serde_json::Value = r.json();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("a transaction pooler at 127.0.0.2"),
        "{v}"
    );
    assert_eq!(
        db.column("SELECT count(*)::text FROM pg_indexes WHERE indexname = 't_id'")[0],
        "0"
    );
    let b = Bouncer::start("session");
    let r = trace(&b.url(&db));
    let v: serde_json::Value = r.json();
    assert_eq!(
        v["trace"]["statements"][0]["observed"][0]["mode"], "SHARE",
        "{v}"
    );
}

#[test]
fn a_declared_transaction_pooler_with_direct_host_is_gone_around() {
    let db = TestDb::new("pooler_declared");
    let b = Bouncer::start("transaction");
    let s = sandbox();
    let m = three_migrations();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!(
            "[migrations]\ndir = \"{}\"\n\n[[pooler]]\nname = \"bouncer\"\nhost = \"127.0.0.1\"\nport = {}\ndirect_host = \"127.0.0.3\"\ndirect_port = {}\nmode = \"transaction\"\n",
            m.arg(),
            b.port,
            s.port
        ),
    )
    .unwrap();
    Neonops::new()
        .sandbox()
        .cwd(dir.path())
        .env("DATABASE_URL", b.url(&db))
        .args(["migrate"])
        .run()
        .code(0)
        .stdout_has("3 migration(s) applied");
    assert_eq!(db.history(), ["1", "2", "3"]);
    assert_eq!(advisory_locks(&db), 0);
    // The same pooler declared without direct_host: refused by its URL.
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!(
            "[migrations]\ndir = \"{}\"\n\n[[pooler]]\nname = \"bouncer\"\nhost = \"127.0.0.1\"\nport = {}\n",
            m.arg(),
            b.port
        ),
    )
    .unwrap();
    Neonops::new()
        .sandbox()
        .cwd(dir.path())
        .env("DATABASE_URL", b.url(&db))
        .args(["migrate"])
        .run()
        .code(2)
        .stderr_has("direct_host");
}
