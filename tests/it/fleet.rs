//! `neonops fleet`: many tenant databases, within each server's connection
//! budget, canary first, shardable; every run on the real sandbox.

use std::collections::BTreeSet;
use std::path::Path;

use crate::harness::{Migrations, Neonops, Run, TestDb, block_on, sandbox};
use crate::json::FleetReport;

/// V2 fails in a tenant that has a `poison` table (a tenant whose data
/// breaks the migration), and applies everywhere else.
fn migrations() -> Migrations {
    Migrations::new(&[
        (
            "V1__accounts.sql",
            "CREATE TABLE accounts (id bigint PRIMARY KEY);",
        ),
        (
            "V2__guard.sql",
            "CREATE TABLE notes (id bigint);\nDO $$ BEGIN IF to_regclass('poison') IS NOT NULL THEN RAISE EXCEPTION 'this tenant has a poison table'; END IF; END $$;",
        ),
    ])
}

fn role_password() -> String {
    let s = sandbox();
    let text = std::fs::read_to_string(&s.passfile).unwrap();
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.splitn(5, ':').collect();
            (f.len() == 5 && f[3] == s.role).then(|| f[4].to_string())
        })
        .next()
        .expect("the role's password in the sandbox's password file")
}

/// A targets file: tenant URLs with the password written in, a variable
/// for the host and comments.
fn targets_file(dir: &Path, dbs: &[TestDb]) -> std::path::PathBuf {
    let s = sandbox();
    let mut text = String::from("# tenants of the fleet test\n\n");
    for db in dbs {
        text.push_str(&format!(
            "postgresql://{}:{}@${{FLEET_HOST}}:{}/{}?sslmode=verify-full&sslrootcert={}   # tenant\n",
            s.role,
            role_password(),
            s.port,
            db.name,
            s.ca_file.display()
        ));
    }
    let path = dir.join("tenants.txt");
    std::fs::write(&path, text).unwrap();
    path
}

fn fleet(file: &Path, m: &Migrations, args: &[&str]) -> Run {
    Neonops::new()
        .sandbox()
        .env("FLEET_HOST", &sandbox().pooled_host)
        .args(["--json", "fleet"])
        .args(args)
        .args(["--dir", &m.arg(), "--targets"])
        .arg_path(file)
        .run()
}

fn outcomes(r: &FleetReport) -> Vec<(String, String)> {
    r.targets
        .iter()
        .map(|t| {
            (
                t.target.rsplit('/').next().unwrap().to_string(),
                t.outcome.clone(),
            )
        })
        .collect()
}

#[test]
fn canary_first_then_stop_or_keep_going_and_a_rerun_does_only_what_is_left() {
    let dbs: Vec<TestDb> = (1..=8)
        .map(|i| TestDb::new(&format!("fleet_c{i}")))
        .collect();
    dbs[1].exec("CREATE TABLE poison (x int)");
    dbs[5].exec("CREATE TABLE poison (x int)");
    let m = migrations();
    let dir = tempfile::tempdir().unwrap();
    let file = targets_file(dir.path(), &dbs);
    let secret = role_password();

    // The canary (the first two) fails: nothing else is started.
    let r = fleet(&file, &m, &["migrate", "--canary", "2", "--keep-going"]);
    r.code(1)
        .lacks(&secret)
        .stderr_has("1 of 8 database(s) failed");
    let rep: FleetReport = r.json();
    assert!(!rep.ok);
    let o = outcomes(&rep);
    assert_eq!(o[0], ("t_fleet_c1".into(), "ok".into()));
    assert_eq!(o[1], ("t_fleet_c2".into(), "failed".into()));
    assert!(o[2..].iter().all(|(_, s)| s == "skipped"), "{o:?}");
    assert!(rep.targets[0].canary && rep.targets[1].canary && !rep.targets[2].canary);
    let e = rep.targets[1].error.as_ref().unwrap();
    assert_eq!(e.kind, "migration");
    assert!(e.message.contains("poison table"), "{}", e.message);
    assert_eq!(rep.targets[1].origin, format!("{}:4", file.display()));
    // Pooled URLs were turned into direct ones.
    assert!(rep.targets[0].server.starts_with(&sandbox().direct_host));
    // Nothing half-applied: V1 committed, V2 did not.
    assert_eq!(dbs[1].history(), ["1"]);
    assert_eq!(dbs[0].history(), ["1", "2"]);
    assert!(dbs[2].history().is_empty());

    // No canary, one at a time, stop at the first failure (the default).
    let r = fleet(&file, &m, &["migrate", "--concurrency", "1"]);
    r.code(1);
    let o = outcomes(&r.json());
    assert_eq!(o[1].1, "failed");
    assert!(o[2..].iter().all(|(_, s)| s == "skipped"), "{o:?}");
    assert!(dbs[2].history().is_empty());

    // --keep-going: every failure reported, every other tenant migrated.
    let r = fleet(&file, &m, &["migrate", "--keep-going"]);
    r.code(1).stderr_has("2 of 8 database(s) failed");
    let rep: FleetReport = r.json();
    let failed: Vec<&str> = rep
        .targets
        .iter()
        .filter(|t| t.outcome == "failed")
        .map(|t| t.target.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(failed, ["t_fleet_c2", "t_fleet_c6"]);
    assert!(
        rep.targets
            .iter()
            .filter(|t| t.outcome == "ok")
            .all(|t| t.after == Some(2))
    );
    assert_eq!(dbs[7].history(), ["1", "2"]);
    assert_eq!(dbs[5].history(), ["1"]);

    // The stragglers, found.
    let r = fleet(&file, &m, &["status", "--exit-code"]);
    r.code(1);
    let rep: FleetReport = r.json();
    assert_eq!(rep.summary.behind, 2);

    // Fixed, a re-run applies only what is left.
    dbs[1].exec("DROP TABLE poison");
    dbs[5].exec("DROP TABLE poison");
    let r = fleet(&file, &m, &["migrate"]);
    r.code(0);
    let rep: FleetReport = r.json();
    assert_eq!(rep.summary.applied, 2);
    assert_eq!(rep.summary.ok, 8);
    for t in &rep.targets {
        let fixed = t.target.ends_with("c2") || t.target.ends_with("c6");
        assert_eq!(t.applied, usize::from(fixed), "{}", t.target);
        assert_eq!(t.after, Some(2));
    }
    fleet(&file, &m, &["status", "--exit-code"]).code(0);
    fleet(&file, &m, &["check", "--require-no-pending"]).code(0);

    // Human output: a line per database (not a terminal), then the summary.
    let r = Neonops::new()
        .sandbox()
        .env("FLEET_HOST", &sandbox().pooled_host)
        .args(["fleet", "status", "--dir", &m.arg(), "--targets"])
        .arg_path(&file)
        .run();
    r.code(0)
        .stdout_has("ok      ")
        .stdout_has("8 database(s) in")
        .stdout_has("max_connections")
        .lacks(&secret);
}

#[test]
fn shards_cover_every_target_exactly_once() {
    let dbs: Vec<TestDb> = (1..=9)
        .map(|i| TestDb::new(&format!("fleet_s{i}")))
        .collect();
    let m = migrations();
    let dir = tempfile::tempdir().unwrap();
    let file = targets_file(dir.path(), &dbs);
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let r = fleet(&file, &m, &["status", "--shard", &shard]);
        r.code(0);
        let rep: FleetReport = r.json();
        let s = rep.shard.as_ref().unwrap();
        assert_eq!((s.index, s.of, s.targets), (i, 3, 9));
        total += rep.targets.len();
        for t in rep.targets {
            seen.insert(t.target);
        }
    }
    assert_eq!(total, 9, "a target in two shards");
    assert_eq!(seen.len(), 9);
    // The same split on every run.
    let again: FleetReport = fleet(&file, &m, &["status", "--shard", "2/3"]).json();
    let first: FleetReport = fleet(&file, &m, &["status", "--shard", "2/3"]).json();
    let names = |r: &FleetReport| {
        r.targets
            .iter()
            .map(|t| t.target.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&again), names(&first));
    for bad in ["0/3", "4/3", "2", "a/b"] {
        Neonops::new()
            .args(["fleet", "status", "--targets", "x", "--shard", bad])
            .run()
            .code(2)
            .stderr_has("I/N");
    }
}

#[test]
fn databases_matching_a_pattern_are_the_targets() {
    let dbs: Vec<TestDb> = (1..=3)
        .map(|i| TestDb::new(&format!("fleet_p{i}")))
        .collect();
    let _other = TestDb::new("fleet_q1");
    let m = migrations();
    let r = Neonops::new()
        .db(&dbs[0])
        .args([
            "--json",
            "fleet",
            "migrate",
            "--match",
            "t_fleet_p*",
            "--dir",
            &m.arg(),
        ])
        .run();
    r.code(0);
    let rep: FleetReport = r.json();
    let names: Vec<&str> = rep
        .targets
        .iter()
        .map(|t| t.target.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["t_fleet_p1", "t_fleet_p2", "t_fleet_p3"]);
    assert!(rep.targets.iter().all(|t| t.origin == "match t_fleet_p*"));
    assert_eq!(dbs[2].history(), ["1", "2"]);
    assert!(_other.history().is_empty());
    // _ and % are not wildcards: only * and ?.
    Neonops::new()
        .db(&dbs[0])
        .args([
            "fleet",
            "status",
            "--match",
            "t%fleet_p1",
            "--dir",
            &m.arg(),
        ])
        .run()
        .code(2)
        .stderr_has("no database on");
}

#[test]
fn a_bad_targets_file_is_named_line_by_line_and_nothing_runs() {
    let db = TestDb::new("fleet_bad");
    let m = migrations();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.txt");
    let url = db.direct_url();
    std::fs::write(
        &file,
        format!("{url}\n$FLEET_UNSET_VAR\nmysql://h/x\n{url}\n"),
    )
    .unwrap();
    let r = Neonops::new()
        .sandbox()
        .args(["fleet", "migrate", "--dir", &m.arg(), "--targets"])
        .arg_path(&file)
        .run();
    r.code(2)
        .stderr_has(":2")
        .stderr_has("$FLEET_UNSET_VAR is not set")
        .stderr_has(":3")
        .stderr_has("unsupported scheme")
        .stderr_has("also on line 1");
    assert!(db.history().is_empty());
    Neonops::new()
        .args(["fleet", "migrate", "--dir", &m.arg()])
        .run()
        .code(2)
        .stderr_has("no targets");
    Neonops::new()
        .args([
            "fleet",
            "check",
            "--dir",
            &m.arg(),
            "--targets",
            "/nonexistent/tenants.txt",
        ])
        .run()
        .code(2)
        .stderr_has("cannot read the targets file /nonexistent/tenants.txt");
}

#[test]
fn check_diagnoses_each_tenant_and_an_unreachable_server_exits_3() {
    let db = TestDb::new("fleet_chk");
    let m = migrations();
    let dir = tempfile::tempdir().unwrap();
    let s = sandbox();
    let missing = s.url_with(&s.direct_host, &s.role, "t_fleet_no_such_db");
    let file = dir.path().join("t.txt");
    // The missing database first: the server is still reached (its control
    // session falls back to the next target), and only that tenant fails.
    std::fs::write(&file, format!("{missing}\n{}\n", db.direct_url())).unwrap();
    let r = Neonops::new()
        .sandbox()
        .args(["--json", "fleet", "check", "--dir", &m.arg(), "--targets"])
        .arg_path(&file)
        .run();
    r.code(1);
    let rep: FleetReport = r.json();
    assert!(rep.servers[0].error.is_none(), "{:?}", rep.servers[0]);
    assert!(rep.servers[0].budget > 0);
    assert_eq!(rep.targets[1].outcome, "ok");
    assert_eq!(rep.targets[1].pending, Some(2));
    let e = rep.targets[0].error.as_ref().unwrap();
    assert_eq!(e.kind, "connect");
    assert_eq!(e.cause.as_deref(), Some("unknown_database"), "{e:?}");
    // Only missing databases: the server answered, but no session could be
    // opened to read its budget: unreachable (exit 3), saying why.
    let missing2 = s.url_with(&s.direct_host, &s.role, "t_fleet_no_such_db2");
    std::fs::write(&file, format!("{missing}\n{missing2}\n")).unwrap();
    Neonops::new()
        .sandbox()
        .args(["fleet", "check", "--dir", &m.arg(), "--targets"])
        .arg_path(&file)
        .run()
        .code(3)
        .stderr_has("no session could be opened to read its connection budget: 2 database(s) tried, each refused")
        .stdout_has("t_fleet_no_such_db2\" does not exist");
    // Pending migrations fail the gate only when asked.
    std::fs::write(&file, format!("{}\n", db.direct_url())).unwrap();
    let gate = |extra: &[&str]| {
        Neonops::new()
            .sandbox()
            .args(["fleet", "check", "--dir", &m.arg()])
            .args(extra)
            .args(["--targets"])
            .arg_path(&file)
            .run()
    };
    gate(&[]).code(0);
    gate(&["--require-no-pending"])
        .code(1)
        .stderr_has("not up to date");
    // A server that cannot be reached at all (a closed loopback port).
    std::fs::write(
        &file,
        "postgresql://u:p@127.0.0.1:1/tenant?sslmode=disable\n",
    )
    .unwrap();
    Neonops::new()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args(["fleet", "migrate", "--dir", &m.arg(), "--targets"])
        .arg_path(&file)
        .run()
        .code(3)
        .stderr_has("could not reach 1 server(s) at all: 127.0.0.1:1");
}

/// A server smaller than any Neon compute (max_connections 20), with
/// sessions already open: the fleet takes only what is free, and never
/// meets "too many clients".
#[test]
fn a_small_server_is_never_given_more_connections_than_it_has_free() {
    let dir = tempfile::Builder::new()
        .prefix("neonops-fleet")
        .tempdir_in("/tmp")
        .unwrap();
    let sdir = dir.path().join("sb");
    let _down = crate::harness::SandboxDown(sdir.clone());
    Neonops::new()
        .args(["sandbox", "up", "--max-connections", "20", "--dir"])
        .arg_path(&sdir)
        .run()
        .code(0);
    let state = neonops::sandbox::load_state(&sdir).unwrap().unwrap();
    let m = migrations();
    block_on(async {
        let admin = state.connect_admin("postgres").await.unwrap();
        for i in 1..=24 {
            admin
                .batch_execute(&format!(
                    "CREATE DATABASE tenant_{i:02} OWNER {}",
                    state.role
                ))
                .await
                .unwrap();
        }
    });
    // Four sessions of "the application", held open on a thread of their own.
    let (ready_tx, ready) = std::sync::mpsc::channel();
    let (stop, stop_rx) = std::sync::mpsc::channel::<()>();
    let holder = {
        let state = state.clone();
        std::thread::spawn(move || {
            block_on(async {
                let mut held = Vec::new();
                for _ in 0..4 {
                    held.push(state.connect(&state.direct_url()).await.unwrap());
                }
                ready_tx.send(()).unwrap();
                while stop_rx.try_recv().is_err() {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                drop(held);
            })
        })
    };
    ready.recv().unwrap();
    let run = |args: &[&str]| {
        Neonops::new()
            .env("NEONOPS_RESOLVE", state.resolve())
            .env("PGPASSFILE", &state.passfile)
            .env("DATABASE_URL", state.pooled_url())
            .args([
                "--json",
                "fleet",
                "migrate",
                "--match",
                "tenant_*",
                "--dir",
                &m.arg(),
            ])
            .args(args)
            .run()
    };
    // The defaults (concurrency 32, headroom 10 % but at least 3).
    let r = run(&[]);
    r.code(0);
    let rep: FleetReport = r.json();
    assert_eq!(rep.summary.ok, 24);
    let sv = &rep.servers[0];
    let l = sv.limits.as_ref().unwrap();
    assert_eq!((l.max_connections, l.reserved, l.headroom), (20, 7, 3));
    assert!(
        l.in_use >= 5,
        "the four sessions and the fleet's own: {l:?}"
    );
    let free = (20 - 7 - 3 - l.in_use) as usize;
    assert_eq!(sv.budget, free);
    assert!(sv.peak <= free && sv.peak >= 2, "{sv:?}");
    assert_eq!(sv.rereads, 0);
    assert!(rep.targets.iter().all(|t| t.error.is_none()));
    // A concurrency below the budget is the cap.
    let rep: FleetReport = run(&["--concurrency", "2", "--target", "1"]).json();
    assert_eq!(rep.servers[0].budget, 2);
    assert!(rep.servers[0].peak <= 2);
    stop.send(()).unwrap();
    holder.join().unwrap();
    the_server_filling_up_midway_is_read_again_and_waited_for(&state);
}

/// Someone else takes every free slot after the fleet read its budget: the
/// fleet meets "too many clients", reads the budget again (and cuts it),
/// waits, and completes once the slots come back, every tenant migrated.
fn the_server_filling_up_midway_is_read_again_and_waited_for(state: &neonops::sandbox::State) {
    // The canary (late_01) sleeps in its migration: meanwhile the server fills up.
    let m = Migrations::new(&[(
        "V1__late.sql",
        "SELECT pg_sleep(CASE WHEN current_database() = 'late_01' THEN 3 ELSE 0 END);\nCREATE TABLE late (id int);",
    )]);
    // One runtime for the whole phase: the sessions opened here live across calls.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let admin = rt.block_on(async {
        let admin = state.connect_admin("postgres").await.unwrap();
        for i in 1..=8 {
            admin
                .batch_execute(&format!("CREATE DATABASE late_{i:02} OWNER {}", state.role))
                .await
                .unwrap();
        }
        admin
    });
    let child = Neonops::new()
        .env("NEONOPS_RESOLVE", state.resolve())
        .env("PGPASSFILE", &state.passfile)
        .env("DATABASE_URL", state.pooled_url())
        .args([
            "--json",
            "fleet",
            "migrate",
            "--match",
            "late_*",
            "--canary",
            "1",
            "--dir",
            &m.arg(),
        ])
        .spawn();
    let sessions = |db: &str| -> i64 {
        rt.block_on(admin.query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
            &[&db],
        ))
        .unwrap()
        .get(0)
    };
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let t = std::time::Instant::now();
        while !ok() {
            assert!(t.elapsed().as_secs() < 30, "waited 30 s for {what}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait_for("the canary's session", &|| sessions("late_01") == 1);
    // Take every slot left to ordinary roles.
    let mut taken = Vec::new();
    let refused = rt.block_on(async {
        loop {
            match state.connect(&state.direct_url()).await {
                Ok(c) => taken.push(c),
                Err(e) => break e.to_string(),
            }
        }
    });
    assert!(refused.contains("53300"), "{refused}");
    assert!(!taken.is_empty());
    // The canary is done (its slot goes to one tenant of the rest; the
    // others are refused): hold on a moment, then give everything back.
    wait_for("the canary to finish", &|| sessions("late_01") == 0);
    std::thread::sleep(std::time::Duration::from_millis(1000));
    drop(taken);
    let r = Run::from_output(
        child.wait_with_output().unwrap(),
        "fleet migrate --match late_*",
    );
    r.code(0);
    let rep: FleetReport = r.json();
    assert_eq!(rep.summary.ok, 8, "{rep:?}");
    assert!(rep.targets[0].canary && rep.targets[0].target.ends_with("/late_01"));
    let sv = &rep.servers[0];
    assert!(sv.rereads >= 1, "the server was full: {sv:?}");
    // The limits as last read (a full server), and the budget cut to the
    // slots the fleet held then.
    assert!(sv.limits.as_ref().unwrap().in_use >= 12, "{sv:?}");
    assert!(sv.budget <= 2, "the budget was cut: {sv:?}");
    assert!(rep.targets.iter().all(|t| t.error.is_none()));
}

#[test]
fn a_target_version_no_file_has_is_refused_before_any_tenant_is_touched() {
    let db = TestDb::new("fleet_target99");
    let dir = tempfile::tempdir().unwrap();
    let file = targets_file(dir.path(), std::slice::from_ref(&db));
    let m = migrations();
    let r = fleet(&file, &m, &["migrate", "--target", "99"]);
    r.code(2).stderr_has("--target: no V99: the highest is V");
    assert!(db.history().is_empty());
}
