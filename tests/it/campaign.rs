//! The reliability campaign: counts from real runs against the sandbox.
//! CI runs a short version of each part; `scripts/reliability` runs the
//! whole campaign (NEONOPS_CAMPAIGN=full) and prints the figures that
//! docs/reliability.md publishes. Every assertion holds for every run: a
//! part that could fail by chance would be a defect, not a result.

use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{Migrations, Neonops, Run, TestDb, campaign_report, scale};

/// Wait until no other session works in this database (a killed runner's
/// server session finishes what it had received before it ends).
fn quiet(db: &TestDb) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let busy = db.column(&format!(
            "SELECT count(*)::text FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
            db.name
        ));
        if busy[0] == "0" {
            return;
        }
        assert!(Instant::now() < deadline, "sessions never ended");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ledger(db: &TestDb, v: i32) -> usize {
    db.column(&format!("SELECT count(*)::text FROM ledger WHERE v = {v}"))[0]
        .parse()
        .unwrap()
}

fn has_table(db: &TestDb, t: &str) -> bool {
    !db.column(&format!("SELECT coalesce(to_regclass('{t}')::text, '')"))[0].is_empty()
}

// ---- 8 concurrent runners ---------------------------------------------------

fn concurrent_set() -> Migrations {
    let mut files = vec![(
        "V1__ledger.sql".to_string(),
        "CREATE TABLE ledger (v int, at timestamptz DEFAULT clock_timestamp());".to_string(),
    )];
    for v in 2..=12 {
        let body = match v {
            7 => "-- neonops:no-transaction\nINSERT INTO ledger (v) VALUES (7);\nCREATE INDEX CONCURRENTLY t2_id ON t_2 (id);\n".to_string(),
            3 | 6 | 9 => format!(
                "INSERT INTO ledger (v) VALUES ({v}); SELECT pg_sleep(0.{v}); CREATE TABLE t_{v} (id int);"
            ),
            _ => format!("INSERT INTO ledger (v) VALUES ({v}); CREATE TABLE t_{v} (id int);"),
        };
        files.push((format!("V{v}__step_{v}.sql"), body));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    Migrations::new(&refs)
}

#[test]
fn eight_concurrent_runners_never_apply_anything_twice() {
    let trials = scale(2, 25);
    let m = concurrent_set();
    let (mut double, mut failures, mut waited, mut runners) = (0, 0, 0, 0);
    let started = Instant::now();
    for trial in 0..trials {
        let db = TestDb::new(&format!("camp_conc_{trial}"));
        let children: Vec<Child> = (0..8)
            .map(|_| {
                Neonops::new()
                    .db(&db)
                    .args(["--json", "migrate", "--dir", &m.arg()])
                    .spawn()
            })
            .collect();
        let mut applied = 0;
        for c in children {
            runners += 1;
            let r = Run::from_output(c.wait_with_output().unwrap(), "migrate (concurrent)");
            if r.code != 0 {
                failures += 1;
                eprintln!("trial {trial}: a runner failed:\n{}", r.stderr);
                continue;
            }
            let rep: serde_json::Value = r.json();
            applied += rep["applied"].as_array().unwrap().len();
            if rep["lock_waited_ms"].as_u64().unwrap_or(0) > 0 {
                waited += 1;
            }
        }
        quiet(&db);
        for v in (2..=12).filter(|v| *v != 7) {
            if ledger(&db, v) > 1 {
                double += 1;
            }
        }
        double += ledger(&db, 7).saturating_sub(1);
        assert_eq!(
            applied, 12,
            "trial {trial}: each migration applied once in all"
        );
        assert_eq!(db.history().len(), 12, "trial {trial}");
    }
    campaign_report(
        "concurrency",
        json!({
            "trials": trials,
            "runners": runners,
            "migrations_per_trial": 12,
            "double_applied": double,
            "failures": failures,
            "runners_that_waited_for_the_lock": waited,
            "seconds": started.elapsed().as_secs_f64().round(),
        }),
    );
    assert_eq!(double, 0, "double-applied migrations");
    assert_eq!(failures, 0, "runners that failed");
}

// ---- kill -9 at random moments ------------------------------------------------

fn kill_set() -> Migrations {
    Migrations::new(&[
        ("V1__ledger.sql", "CREATE TABLE ledger (v int);"),
        (
            "V2__slow.sql",
            "INSERT INTO ledger VALUES (2); SELECT pg_sleep(0.3); CREATE TABLE t_2 (id int);",
        ),
        (
            "V3__fast.sql",
            "INSERT INTO ledger VALUES (3); CREATE TABLE t_3 (id int);",
        ),
        (
            "V4__no_transaction.sql",
            "-- neonops:no-transaction\nINSERT INTO ledger SELECT 41 FROM pg_sleep(0.15);\nCREATE INDEX CONCURRENTLY t2_id ON t_2 (id);\nINSERT INTO ledger SELECT 43 FROM pg_sleep(0.15);\n",
        ),
        (
            "V5__slow.sql",
            "INSERT INTO ledger VALUES (5); SELECT pg_sleep(0.3); CREATE TABLE t_5 (id int);",
        ),
        (
            "V6__fast.sql",
            "INSERT INTO ledger VALUES (6); CREATE TABLE t_6 (id int);",
        ),
    ])
}

/// Every transactional migration is all there with its history row, or
/// not there at all; a recorded no-transaction migration has all its effects.
fn half_applied(db: &TestDb) -> Vec<String> {
    let mut bad = Vec::new();
    if !has_table(db, "ledger") {
        if !db.history().is_empty() {
            bad.push("history without V1".into());
        }
        return bad;
    }
    let history = db.history();
    for v in [2, 3, 5, 6] {
        let recorded = history.contains(&v.to_string());
        let rows = ledger(db, v);
        let table = has_table(db, &format!("t_{v}"));
        if rows > 1 || recorded != (rows == 1) || recorded != table {
            bad.push(format!(
                "V{v}: recorded {recorded}, ledger rows {rows}, table {table}"
            ));
        }
    }
    if ledger(db, 41) > 1 || ledger(db, 43) > 1 {
        bad.push("a no-transaction statement ran twice".into());
    }
    if history.contains(&"4".to_string()) && (ledger(db, 41) != 1 || ledger(db, 43) != 1) {
        bad.push("V4 recorded without all its statements".into());
    }
    bad
}

#[test]
fn kill_9_at_random_moments_leaves_nothing_half_applied() {
    let kills = scale(6, 60);
    let m = kill_set();
    let mut rng = fastrand::Rng::with_seed(7);
    let (mut half, mut completed, mut told, mut other) = (0, 0, 0, 0);
    let mut moments = Vec::new();
    // Where the kills landed: how many migrations were recorded, and
    // whether the no-transaction file had started.
    let mut landed = std::collections::BTreeMap::<String, usize>::new();
    let started = Instant::now();
    for k in 0..kills {
        let db = TestDb::new(&format!("camp_kill_{k}"));
        let delay = Duration::from_millis(rng.u64(0..900));
        moments.push(delay.as_millis() as u64);
        let mut child = Neonops::new()
            .db(&db)
            .args(["migrate", "--dir", &m.arg()])
            .spawn();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        quiet(&db);
        let inside = has_table(&db, "refinery_schema_history_progress")
            && db.column("SELECT count(*)::text FROM refinery_schema_history_progress")[0] != "0";
        let place = if inside {
            "inside the no-transaction V4".to_string()
        } else {
            format!("{} of 6 recorded", db.history().len())
        };
        *landed.entry(place).or_default() += 1;
        let bad = half_applied(&db);
        if !bad.is_empty() {
            half += 1;
            eprintln!("kill {k} at {delay:?}: {bad:?}");
        }
        // The next run completes, or says exactly what to do, and doing it completes.
        let r = Neonops::new()
            .db(&db)
            .args(["migrate", "--dir", &m.arg()])
            .run();
        match r.code {
            0 => completed += 1,
            1 if r.stderr.contains("--resume-from 4:") => {
                told += 1;
                // Do what it says: check whether the statement took effect.
                let k = if r.stderr.contains("statement 1 of 3 was running") {
                    1
                } else {
                    3
                };
                let took = ledger(&db, if k == 1 { 41 } else { 43 }) == 1;
                let from = if took { k + 1 } else { k };
                Neonops::new()
                    .db(&db)
                    .args([
                        "migrate",
                        "--dir",
                        &m.arg(),
                        "--resume-from",
                        &format!("4:{from}"),
                    ])
                    .run()
                    .code(0);
            }
            _ => {
                other += 1;
                eprintln!("kill {k} at {delay:?}: the next run:\n{}", r.stderr);
            }
        }
        assert_eq!(
            db.history().len(),
            6,
            "kill {k}: everything applied in the end"
        );
        let bad = half_applied(&db);
        assert!(bad.is_empty(), "kill {k}: after the re-run: {bad:?}");
        assert_eq!(
            db.column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't2_id'::regclass"),
            ["true"]
        );
    }
    moments.sort_unstable();
    campaign_report(
        "kill -9",
        json!({
            "kills": kills,
            "moments_ms": { "min": moments.first(), "median": moments.get(moments.len() / 2), "max": moments.last() },
            "landed": landed,
            "half_applied": half,
            "next_run_completed": completed,
            "next_run_said_what_to_do": told,
            "next_run_other": other,
            "seconds": started.elapsed().as_secs_f64().round(),
        }),
    );
    assert_eq!(half, 0, "half-applied migrations");
    assert_eq!(
        other, 0,
        "re-runs that neither completed nor said what to do"
    );
}

// ---- server faults --------------------------------------------------------------

fn slow_set() -> Migrations {
    Migrations::new(&[
        ("V1__ledger.sql", "CREATE TABLE ledger (v int);"),
        (
            "V2__slow.sql",
            "INSERT INTO ledger VALUES (2); SELECT pg_sleep(0.6); CREATE TABLE t_2 (id int);",
        ),
        (
            "V3__fast.sql",
            "INSERT INTO ledger VALUES (3); CREATE TABLE t_3 (id int);",
        ),
        (
            "V5__slow.sql",
            "INSERT INTO ledger VALUES (5); SELECT pg_sleep(0.6); CREATE TABLE t_5 (id int);",
        ),
        (
            "V6__fast.sql",
            "INSERT INTO ledger VALUES (6); CREATE TABLE t_6 (id int);",
        ),
    ])
}

/// Transactional migrations of `slow_set`: all there with the row, or not at all.
fn consistent(db: &TestDb) -> Vec<String> {
    let mut bad = Vec::new();
    if !has_table(db, "ledger") {
        return bad;
    }
    let history = db.history();
    for v in [2, 3, 5, 6] {
        let recorded = history.contains(&v.to_string());
        let rows = ledger(db, v);
        let table = has_table(db, &format!("t_{v}"));
        if rows > 1 || recorded != (rows == 1) || recorded != table {
            bad.push(format!(
                "V{v}: recorded {recorded}, rows {rows}, table {table}"
            ));
        }
    }
    bad
}

fn wait_until(db: &TestDb, sql: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while db.column(sql)[0] == "0" {
        assert!(Instant::now() < deadline, "never: {sql}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

const SLOW_RUNNING: &str = "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE '%pg_sleep(0.6)%' AND state = 'active' AND pid <> pg_backend_pid()";

#[test]
fn a_connection_cut_mid_run_is_a_clean_diagnosed_error_and_the_rerun_completes() {
    let s = crate::harness::sandbox();
    let trials = scale(2, 20);
    let m = slow_set();
    let mut rng = fastrand::Rng::with_seed(11);
    let (mut clean, mut partial, mut reruns, mut longest) = (0, 0, 0, Duration::ZERO);
    let mut example = String::new();
    for t in 0..trials {
        let db = TestDb::new(&format!("camp_cut_{t}"));
        let proxy = crate::harness::FaultProxy::start(
            format!("{}:{}", neonops::sandbox::DIRECT_ADDR, s.port)
                .parse()
                .unwrap(),
        );
        let url = s
            .url_with(&s.direct_host, &s.role, &db.name)
            .replace(&format!(":{}/", s.port), &format!(":{}/", proxy.port));
        let pin = format!("{}:{}:127.0.0.1", s.direct_host, proxy.port);
        let started = Instant::now();
        let child = Neonops::new()
            .sandbox()
            .args([
                "--resolve",
                &pin,
                "migrate",
                "--dir",
                &m.arg(),
                "--direct-url",
                &url,
            ])
            .spawn();
        wait_until(&db, SLOW_RUNNING);
        std::thread::sleep(Duration::from_millis(rng.u64(0..500)));
        let cut = proxy.cut();
        let r = Run::from_output(child.wait_with_output().unwrap(), "migrate (cut)");
        longest = longest.max(started.elapsed());
        assert!(cut >= 1, "the connection was cut");
        if example.is_empty() {
            example = r.stderr.lines().last().unwrap_or("").to_string();
        }
        if r.code == 3 && r.stderr.contains("the connection to the server was lost") {
            clean += 1;
        } else {
            eprintln!("trial {t}: exit {}:\n{}", r.code, r.stderr);
        }
        quiet(&db);
        let bad = consistent(&db);
        if !bad.is_empty() {
            partial += 1;
            eprintln!("trial {t}: {bad:?}");
        }
        Neonops::new()
            .db(&db)
            .args(["migrate", "--dir", &m.arg()])
            .run()
            .code(0);
        reruns += 1;
        assert_eq!(db.history().len(), 5);
        assert!(consistent(&db).is_empty());
    }
    campaign_report(
        "connection cut by a proxy",
        json!({
            "example": example,
            "trials": trials,
            "clean_diagnosed_errors": clean,
            "partial": partial,
            "reruns_completed": reruns,
            "longest_run_ms": longest.as_millis() as u64,
        }),
    );
    assert_eq!(
        clean, trials,
        "every cut is a clean, diagnosed error (exit 3)"
    );
    assert_eq!(partial, 0);
}

#[test]
fn a_postgres_restart_mid_run_is_a_clean_diagnosed_error_and_the_rerun_completes() {
    // A sandbox of its own: a restart cuts every session on it.
    let dir = tempfile::Builder::new()
        .prefix("neonops-restart")
        .tempdir_in("/tmp")
        .unwrap();
    let sdir = dir.path().join("sb");
    let _down = crate::harness::SandboxDown(sdir.clone());
    Neonops::new()
        .args(["sandbox", "up", "--dir"])
        .arg_path(&sdir)
        .run()
        .code(0);
    let state = neonops::sandbox::load_state(&sdir).unwrap().unwrap();
    let trials = scale(1, 10);
    let m = slow_set();
    let (mut clean, mut partial, mut reruns, mut longest) = (0, 0, 0, Duration::ZERO);
    let mut example = String::new();
    let migrate = |db: &str| {
        Neonops::new()
            .env("NEONOPS_RESOLVE", state.resolve())
            .env("PGPASSFILE", &state.passfile)
            .env(
                "DATABASE_URL",
                state.url_with(&state.pooled_host, &state.role, db),
            )
            .args(["migrate", "--dir", &m.arg()])
    };
    let query = |db: &str, sql: &str| -> Vec<String> {
        let url = state.url_with(&state.direct_host, &state.role, db);
        let sql = sql.to_string();
        let state = &state;
        std::thread::scope(|sc| {
            sc.spawn(move || {
                crate::harness::block_on(async {
                    let c = state.connect(&url).await.expect("connect");
                    c.simple_query(&sql)
                        .await
                        .expect("query")
                        .into_iter()
                        .filter_map(|m| match m {
                            tokio_postgres::SimpleQueryMessage::Row(r) => {
                                Some(r.get(0).unwrap_or("").to_string())
                            }
                            _ => None,
                        })
                        .collect()
                })
            })
            .join()
            .unwrap()
        })
    };
    for t in 0..trials {
        let db = format!("restart_{t}");
        query(
            "postgres",
            &format!("CREATE DATABASE {db} OWNER {}", state.role),
        );
        let started = Instant::now();
        let child = migrate(&db).spawn();
        let deadline = Instant::now() + Duration::from_secs(20);
        while query(&db, SLOW_RUNNING)[0] == "0" {
            assert!(Instant::now() < deadline, "the slow migration never ran");
            std::thread::sleep(Duration::from_millis(10));
        }
        Neonops::new()
            .args(["sandbox", "restart", "--dir"])
            .arg_path(&sdir)
            .run()
            .code(0);
        let r = Run::from_output(child.wait_with_output().unwrap(), "migrate (restart)");
        longest = longest.max(started.elapsed());
        if example.is_empty() {
            example = r.stderr.lines().last().unwrap_or("").to_string();
        }
        if r.code == 3 && r.stderr.contains("the connection to the server was lost") {
            clean += 1;
        } else {
            eprintln!("trial {t}: exit {}:\n{}", r.code, r.stderr);
        }
        // Atomic: each transactional migration with its row, or neither.
        let history: Vec<String> = query(
            &db,
            "SELECT coalesce(string_agg(version::text, ',' ORDER BY version), '') FROM refinery_schema_history",
        );
        let ledger: Vec<String> = query(
            &db,
            "SELECT coalesce(string_agg(v::text, ',' ORDER BY v), '') FROM ledger",
        );
        let expected_ledger: Vec<&str> = history[0]
            .split(',')
            .filter(|v| !v.is_empty() && *v != "1")
            .collect();
        if ledger[0] != expected_ledger.join(",") {
            partial += 1;
            eprintln!("trial {t}: history {history:?}, ledger {ledger:?}");
        }
        migrate(&db).run().code(0);
        reruns += 1;
        assert_eq!(
            query(&db, "SELECT count(*)::text FROM refinery_schema_history"),
            ["5"]
        );
        assert_eq!(
            query(
                &db,
                "SELECT string_agg(v::text, ',' ORDER BY v) FROM ledger"
            ),
            ["2,3,5,6"]
        );
    }
    Neonops::new()
        .args(["sandbox", "down", "--dir"])
        .arg_path(&sdir)
        .run()
        .code(0);
    campaign_report(
        "PostgreSQL restarted mid-run",
        json!({
            "example": example,
            "trials": trials,
            "clean_diagnosed_errors": clean,
            "partial": partial,
            "reruns_completed": reruns,
            "longest_run_ms": longest.as_millis() as u64,
        }),
    );
    assert_eq!(
        clean, trials,
        "every restart is a clean, diagnosed error (exit 3)"
    );
    assert_eq!(partial, 0);
}

#[test]
fn a_paused_pgbouncer_is_diagnosed_within_connect_timeout_by_check_and_doctor() {
    let s = crate::harness::sandbox();
    let db = TestDb::new("camp_pause");
    let trials = scale(1, 5);
    let admin_url = s.url_with(&s.pooled_host, &s.admin_role, "pgbouncer");
    let (mut diagnosed, mut slowest_ms) = (0, 0u64);
    let mut causes = std::collections::BTreeSet::new();
    crate::harness::block_on(async {
        // PgBouncer's admin console; PAUSE of this test's database only.
        let console = s.connect(&admin_url).await.expect("the PgBouncer console");
        for t in 0..trials {
            console
                .simple_query(&format!("PAUSE {}", db.name))
                .await
                .expect("PAUSE");
            // The shortest useful timeout in the short run; the default (10 s) once in each.
            let timeouts: &[Option<&str>] = if t == 0 {
                &[Some("2"), None]
            } else {
                &[Some("2")]
            };
            for timeout in timeouts {
                // check and doctor side by side: each answers on its own clock.
                let started = Instant::now();
                let children: Vec<(&str, Child)> = ["check", "doctor"]
                    .into_iter()
                    .map(|cmd| {
                        let mut n = Neonops::new().db(&db).args(["--json"]);
                        if let Some(t) = timeout {
                            n = n.args(["--connect-timeout", t]);
                        }
                        (cmd, n.args([cmd]).spawn())
                    })
                    .collect();
                for (cmd, child) in children {
                    let r = Run::from_output(child.wait_with_output().unwrap(), cmd);
                    let took = started.elapsed();
                    r.code(3);
                    let v: serde_json::Value = r.json();
                    let pooled = v["endpoints"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|e| e["endpoint"] == "pooled")
                        .expect("the pooled endpoint")
                        .clone();
                    let cause = pooled["diagnosis"]["cause"]
                        .as_str()
                        .unwrap_or("none")
                        .to_string();
                    let elapsed = pooled["error"]["elapsed"].as_u64().unwrap();
                    let limit = timeout.map_or(10, |t| t.parse().unwrap()) * 1000 + 1000;
                    assert!(elapsed <= limit, "{cmd}: {elapsed} ms, over {limit} ms");
                    assert!(
                        took < Duration::from_millis(limit + 3000),
                        "{cmd} took {took:?}"
                    );
                    assert!(
                        matches!(cause.as_str(), "login_stalled" | "server_unresponsive"),
                        "{cmd}: {pooled:#}"
                    );
                    causes.insert(cause);
                    slowest_ms = slowest_ms.max(elapsed);
                    diagnosed += 1;
                }
            }
            console
                .simple_query(&format!("RESUME {}", db.name))
                .await
                .expect("RESUME");
            Neonops::new().db(&db).args(["check"]).run().code(0);
        }
    });
    campaign_report(
        "PgBouncer paused during check and doctor",
        json!({
            "runs": diagnosed,
            "diagnosed_within_connect_timeout_plus_1s": diagnosed,
            "causes": causes,
            "slowest_answer_ms": slowest_ms,
        }),
    );
}
