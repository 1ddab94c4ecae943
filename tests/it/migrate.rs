//! `neonops migrate`, `status`, `validate`, `new` against the sandbox: every
//! run goes through the pooled URL, from which neonops derives the direct one.

use std::time::{Duration, Instant};

use crate::harness::{Migrations, Neonops, Run, TestDb, block_on, sandbox};
use crate::json::{MigrateReport, ProblemReport, StatusReport};

fn migrate(db: &TestDb, m: &Migrations, extra: &[&str]) -> Run {
    Neonops::new()
        .db(db)
        .args(["migrate", "--dir", &m.arg()])
        .args(extra)
        .run()
}

fn migrate_json(db: &TestDb, m: &Migrations, extra: &[&str]) -> (Run, MigrateReport) {
    let r = Neonops::new()
        .db(db)
        .args(["--json", "migrate", "--dir", &m.arg()])
        .args(extra)
        .run();
    let rep = r.json();
    (r, rep)
}

fn status(db: &TestDb, m: &Migrations, extra: &[&str]) -> Run {
    Neonops::new()
        .db(db)
        .args(["status", "--dir", &m.arg()])
        .args(extra)
        .run()
}

fn three() -> Migrations {
    Migrations::new(&[
        ("V1__create_a.sql", "CREATE TABLE a (id int PRIMARY KEY);"),
        (
            "V2__create_b.sql",
            "CREATE TABLE b (id int PRIMARY KEY);\n-- a trailing comment, no newline",
        ),
        ("V3__seed_a.sql", "INSERT INTO a VALUES (1), (2);"),
    ])
}

#[test]
fn apply_plan_target_rerun_and_status() {
    let db = TestDb::new("mig_basic");
    let m = three();

    // The plan reads, changes nothing, and shows the SQL.
    let (r, plan) = migrate_json(&db, &m, &["--plan"]);
    r.code(0);
    assert_eq!(plan.mode, "plan");
    assert_eq!(plan.planned.len(), 3);
    assert!(
        plan.planned[0]
            .sql
            .as_deref()
            .unwrap()
            .contains("CREATE TABLE a")
    );
    assert!(plan.applied.is_empty());
    assert!(
        plan.database.contains(&sandbox().direct_host),
        "{}",
        plan.database
    );
    assert!(!plan.database.contains("-pooler"));
    assert!(db.history().is_empty(), "--plan created the history table");
    migrate(&db, &m, &["--dry-run"])
        .code(0)
        .stdout_has("-- would apply V1__create_a");

    // Up to a target.
    let (r, rep) = migrate_json(&db, &m, &["--target", "2"]);
    r.code(0);
    assert!(rep.ok);
    let applied: Vec<i32> = rep.applied.iter().map(|s| s.version).collect();
    assert_eq!(applied, [1, 2]);
    assert_eq!(db.history(), ["1", "2"]);
    assert_eq!(db.column("SELECT to_regclass('b')::text"), ["b"]);
    status(&db, &m, &["--exit-code"])
        .code(1)
        .stdout_has("pending");
    let st: StatusReport = status(&db, &m, &["--json"]).json();
    let states: Vec<(i32, &str)> = st
        .entries
        .iter()
        .map(|e| (e.version, e.state.as_str()))
        .collect();
    assert_eq!(states, [(1, "applied"), (2, "applied"), (3, "pending")]);

    // The rest, with one line per migration.
    migrate(&db, &m, &[])
        .code(0)
        .stdout_has("applied  V3__seed_a")
        .stdout_has("the database is at version 3");
    assert_eq!(db.column("SELECT count(*)::text FROM a"), ["2"]);
    // Re-run: nothing to do.
    migrate(&db, &m, &[])
        .code(0)
        .stdout_has("nothing to apply: the database is at version 3");
    status(&db, &m, &["--exit-code"]).code(0);
    Neonops::new()
        .db(&db)
        .args(["validate", "--dir", &m.arg()])
        .run()
        .code(0)
        .stdout_has("valid");
    // The session had neonops' timeouts, set on the direct endpoint.
    let m2 = Migrations::new(&[(
        "V4__settings.sql",
        "CREATE TABLE s AS SELECT current_setting('lock_timeout') AS lt, current_setting('application_name') AS app;",
    )]);
    for (n, sql) in [
        ("V1__create_a.sql", "CREATE TABLE a (id int PRIMARY KEY);"),
        (
            "V2__create_b.sql",
            "CREATE TABLE b (id int PRIMARY KEY);\n-- a trailing comment, no newline",
        ),
        ("V3__seed_a.sql", "INSERT INTO a VALUES (1), (2);"),
    ] {
        m2.write(n, sql);
    }
    migrate(&db, &m2, &["--lock-timeout", "7s"]).code(0);
    assert_eq!(
        db.query("SELECT lt, app FROM s")[0],
        [
            Some("7s".into()),
            Some(format!("neonops/{}", env!("CARGO_PKG_VERSION")))
        ]
    );
}

#[test]
fn fake_records_without_running() {
    let db = TestDb::new("mig_fake");
    db.exec("CREATE TABLE a (id int PRIMARY KEY)");
    let m = three();
    // Running V1 would fail (a exists): --fake must not run it.
    migrate(&db, &m, &["--fake", "--target", "1"])
        .code(0)
        .stdout_has("recorded (not run)");
    assert_eq!(db.history(), ["1"]);
    migrate(&db, &m, &[]).code(0);
    assert_eq!(db.history(), ["1", "2", "3"]);
}

#[test]
fn divergent_and_missing_are_refused_before_any_ddl() {
    let db = TestDb::new("mig_drift");
    let m = three();
    migrate(&db, &m, &["--target", "2"]).code(0);
    m.write(
        "V1__create_a.sql",
        "CREATE TABLE a (id bigint PRIMARY KEY);",
    );
    m.write("V4__create_c.sql", "CREATE TABLE c (id int);");
    let st: StatusReport = status(&db, &m, &["--json"]).json();
    assert_eq!(st.entries[0].state, "divergent");
    // A history that disagrees with the files is an input problem: status
    // shows the entries and exits 2, as validate and migrate do.
    status(&db, &m, &["--exit-code"])
        .code(2)
        .stdout_has("divergent")
        .stderr_has("changed after it was applied");
    status(&db, &m, &[])
        .code(2)
        .stderr_has("changed after it was applied");
    let r = Neonops::new()
        .db(&db)
        .args(["--json", "migrate", "--dir", &m.arg()])
        .run();
    r.code(2);
    let rep: ProblemReport = r.json();
    assert!(
        rep.problems[0]
            .message
            .contains("changed after it was applied"),
        "{:?}",
        rep.problems
    );
    assert_eq!(db.history(), ["1", "2"]);
    assert!(
        db.column("SELECT to_regclass('c')::text")[0].is_empty(),
        "V4 ran despite drift"
    );
    Neonops::new()
        .db(&db)
        .args(["validate", "--dir", &m.arg()])
        .run()
        .code(2)
        .stderr_has("V1__create_a.sql");

    // Restore V1, lose V2: missing.
    m.write("V1__create_a.sql", "CREATE TABLE a (id int PRIMARY KEY);");
    m.remove("V2__create_b.sql");
    let st: StatusReport = status(&db, &m, &["--json"]).json();
    assert!(
        st.entries
            .iter()
            .any(|e| e.version == 2 && e.state == "missing")
    );
    migrate(&db, &m, &[]).code(2).stderr_has("its file is gone");
    assert_eq!(db.history(), ["1", "2"]);
}

#[test]
fn line_endings_alone_are_not_a_change() {
    let db = TestDb::new("mig_crlf");
    let m = Migrations::new(&[(
        "V1__a.sql",
        "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n",
    )]);
    migrate(&db, &m, &[]).code(0);
    m.write(
        "V1__a.sql",
        "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n",
    );
    status(&db, &m, &["--exit-code"]).code(0);
    migrate(&db, &m, &[]).code(0).stdout_has("nothing to apply");
}

#[test]
fn misnamed_duplicate_and_binary_files_are_all_listed_and_nothing_runs() {
    let db = TestDb::new("mig_badnames");
    let m = Migrations::new(&[
        ("V1__ok.sql", "CREATE TABLE ok (id int);"),
        ("V2__add-users.sql", "CREATE TABLE x (id int);"),
        ("v3__x.sql", "SELECT 1;"),
        ("V4__x.SQL", "SELECT 1;"),
        ("V5__a.sql", "SELECT 1;"),
        ("V5__b.sql", "SELECT 1;"),
        ("V6__tx.sql", "BEGIN; CREATE TABLE t (id int); COMMIT;"),
        ("README.md", "not a migration"),
    ]);
    std::fs::write(m.path().join("V7__bin.sql"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let r = Neonops::new()
        .db(&db)
        .args(["--json", "migrate", "--dir", &m.arg()])
        .run();
    r.code(2);
    let rep: ProblemReport = r.json();
    let all = rep
        .problems
        .iter()
        .map(|p| match p.line {
            Some(l) => format!("{}:{l}: {}", p.subject, p.message),
            None => format!("{}: {}", p.subject, p.message),
        })
        .collect::<Vec<_>>()
        .join("\n");
    for want in [
        "V2__add-users.sql: the name \"add-users\" may contain only letters",
        "v3__x.sql: the prefix must be an upper-case V",
        "V4__x.SQL: the extension must be lower-case .sql",
        "version 5: used by 2 files",
        "V6__tx.sql:1: contains transaction control (BEGIN)",
        "V7__bin.sql: not valid UTF-8",
    ] {
        assert!(all.contains(want), "missing {want:?} in\n{all}");
    }
    assert!(!all.contains("README"), "{all}");
    assert!(db.history().is_empty());
    assert!(db.column("SELECT to_regclass('ok')::text")[0].is_empty());
    // status and validate refuse the same way, and human output names the files.
    Neonops::new()
        .db(&db)
        .args(["validate", "--dir", &m.arg()])
        .run()
        .code(2)
        .stderr_has("V2__add-users.sql");
    status(&db, &m, &[]).code(2).stderr_has("v3__x.sql");
}

#[test]
fn a_damaged_history_row_is_a_named_error_not_a_panic() {
    let db = TestDb::new("mig_badhist");
    let m = three();
    migrate(&db, &m, &["--target", "1"]).code(0);
    db.exec("UPDATE refinery_schema_history SET checksum = 'garbage' WHERE version = 1");
    migrate(&db, &m, &[])
        .code(2)
        .stderr_has("checksum \"garbage\" is not a number");
    assert_eq!(db.history(), ["1"]);
}

async fn refinery_client(db: &TestDb) -> tokio_postgres::Client {
    crate::harness::connect_lib(&db.direct_url()).await.client
}

/// refinery itself writes the history; neonops continues it, and the other way round.
#[test]
fn refinery_and_neonops_take_turns() {
    let db = TestDb::new("mig_refinery");
    let m = Migrations::new(&[
        (
            "V1__create_a.sql",
            "CREATE TABLE a (id int PRIMARY KEY);\r\n",
        ),
        ("V2__create_b.sql", "CREATE TABLE b (id int PRIMARY KEY);"),
    ]);
    block_on(async {
        let mut client = refinery_client(&db).await;
        let migrations = refinery::load_sql_migrations(m.path()).unwrap();
        let report = refinery::Runner::new(&migrations)
            .run_async(&mut client)
            .await
            .unwrap();
        assert_eq!(report.applied_migrations().len(), 2);
    });
    m.write("V3__create_c.sql", "CREATE TABLE c (id int);");
    status(&db, &m, &["--exit-code"])
        .code(1)
        .stdout_has("pending");
    let (r, rep) = migrate_json(&db, &m, &[]);
    r.code(0);
    assert_eq!(
        rep.applied.iter().map(|s| s.version).collect::<Vec<_>>(),
        [3]
    );

    // Now refinery continues what neonops applied, finding nothing divergent.
    m.write("V4__create_d.sql", "CREATE TABLE d (id int);");
    block_on(async {
        let mut client = refinery_client(&db).await;
        let migrations = refinery::load_sql_migrations(m.path()).unwrap();
        let report = refinery::Runner::new(&migrations)
            .run_async(&mut client)
            .await
            .unwrap();
        let v: Vec<i32> = report
            .applied_migrations()
            .iter()
            .map(|x| x.version())
            .collect();
        assert_eq!(v, [4]);
        let applied = refinery::Runner::new(&migrations)
            .get_applied_migrations_async(&mut client)
            .await
            .unwrap();
        assert_eq!(applied.len(), 4);
    });
    status(&db, &m, &["--exit-code"]).code(0);
}

#[test]
fn eight_concurrent_runners_apply_each_migration_exactly_once() {
    let db = TestDb::new("mig_concurrent");
    db.exec("CREATE TABLE log (v int)");
    let files: Vec<(String, String)> = (1..=20)
        .map(|i| {
            (
                format!("V{i}__step_{i}.sql"),
                format!("INSERT INTO log VALUES ({i}); CREATE TABLE t{i} (id int);"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let m = Migrations::new(&refs);
    let children: Vec<_> = (0..8)
        .map(|_| {
            Neonops::new()
                .db(&db)
                .args(["--json", "migrate", "--dir", &m.arg(), "--lock-wait", "60s"])
                .spawn()
        })
        .collect();
    let mut applied_total = 0;
    for c in children {
        let r = Run::from_output(c.wait_with_output().unwrap(), "migrate (concurrent)");
        r.code(0);
        let rep: MigrateReport = r.json();
        applied_total += rep.applied.len();
    }
    assert_eq!(applied_total, 20);
    assert_eq!(db.column("SELECT count(*)::text FROM log"), ["20"]);
    assert_eq!(db.column("SELECT count(DISTINCT v)::text FROM log"), ["20"]);
    assert_eq!(db.history().len(), 20);
}

#[test]
fn killed_in_the_middle_leaves_nothing_half_applied() {
    let db = TestDb::new("mig_kill");
    let m = Migrations::new(&[
        ("V1__create_a.sql", "CREATE TABLE a (id int);"),
        (
            "V2__slow.sql",
            "INSERT INTO a VALUES (2); SELECT pg_sleep(2); CREATE TABLE slow (id int);",
        ),
        ("V3__after.sql", "CREATE TABLE after_slow (id int);"),
    ]);
    let mut child = Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .spawn();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let sleeping = db.column("SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()");
        if sleeping[0] != "0" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the slow migration never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // At any moment: V2 is either applied with its row, or absent with no row.
    let v2_recorded = db.history().contains(&"2".to_string());
    let v2_table = !db.column("SELECT to_regclass('slow')::text")[0].is_empty();
    let v2_row = db.column("SELECT count(*)::text FROM a WHERE id = 2")[0] == "1";
    assert_eq!(v2_recorded, v2_table);
    assert_eq!(v2_recorded, v2_row);
    // The next run completes (waiting for the orphaned session's lock if need be).
    migrate(&db, &m, &[]).code(0);
    assert_eq!(db.history(), ["1", "2", "3"]);
    assert_eq!(
        db.column("SELECT count(*)::text FROM a WHERE id = 2"),
        ["1"]
    );
}

#[test]
fn a_lock_held_by_another_session_times_out_is_retried_and_the_blocker_is_named() {
    let db = TestDb::new("mig_locked");
    db.exec("CREATE TABLE hot (id int)");
    let m = Migrations::new(&[("V1__alter_hot.sql", "ALTER TABLE hot ADD COLUMN note text;")]);
    let s = sandbox();
    block_on(async {
        let blocker = s.connect(&db.direct_url()).await.unwrap();
        blocker
            .batch_execute("SET application_name = 'blocker-test'; BEGIN; LOCK TABLE hot IN ACCESS SHARE MODE;")
            .await
            .unwrap();
        // Held throughout: fails after its retries, naming the blocker.
        let r = Neonops::new()
            .db(&db)
            .args([
                "--json",
                "migrate",
                "--dir",
                &m.arg(),
                "--lock-timeout",
                "300ms",
                "--lock-retries",
                "2",
            ])
            .run();
        r.code(1);
        let rep: MigrateReport = r.json();
        let f = rep.failure.expect("a failure");
        assert_eq!(f.sqlstate.as_deref(), Some("55P03"));
        assert_eq!(f.attempts, 3);
        assert_eq!(
            f.blockers[0]["application_name"], "blocker-test",
            "{:?}",
            f.blockers
        );
        assert!(f.fix.contains("nothing of this migration was committed"));
        assert!(db.history().is_empty());
        let human = Neonops::new()
            .db(&db)
            .args([
                "migrate",
                "--dir",
                &m.arg(),
                "--lock-timeout",
                "200ms",
                "--lock-retries",
                "1",
            ])
            .run();
        human
            .code(1)
            .stderr_has("blocked by pid")
            .stderr_has("blocker-test")
            .stderr_has("SQLSTATE 55P03");
        // Released while the runner retries: it succeeds.
        let child = Neonops::new()
            .db(&db)
            .args([
                "migrate",
                "--dir",
                &m.arg(),
                "--lock-timeout",
                "300ms",
                "--lock-retries",
                "6",
            ])
            .spawn();
        tokio::time::sleep(Duration::from_millis(1200)).await;
        blocker.batch_execute("COMMIT").await.unwrap();
        let r = Run::from_output(child.wait_with_output().unwrap(), "migrate");
        r.code(0).stderr_has("hit lock_timeout");
    });
    assert_eq!(db.history(), ["1"]);
    assert_eq!(db.column("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'hot' AND column_name = 'note'"), ["1"]);
}

#[test]
fn the_migration_lock_waits_then_names_the_holder() {
    let db = TestDb::new("mig_advisory");
    let m = three();
    let key = {
        let t = neonops::migrate::Table::new("refinery_schema_history").unwrap();
        neonops::migrate::run::lock_key(&t)
    };
    let s = sandbox();
    // Advisory locks belong to a database: another database's runner holds
    // the same key (as a fleet's or a concurrent test's would). Once named
    // as the holder: the query did not filter by database.
    let elsewhere = TestDb::new("mig_advisory_elsewhere");
    block_on(async {
        let stranger = s.connect(&elsewhere.direct_url()).await.unwrap();
        stranger
            .batch_execute(&format!(
                "SET application_name = 'runner-elsewhere'; SELECT pg_advisory_lock({key})"
            ))
            .await
            .unwrap();
        let holder = s.connect(&db.direct_url()).await.unwrap();
        holder
            .batch_execute(&format!(
                "SET application_name = 'other-runner'; SELECT pg_advisory_lock({key})"
            ))
            .await
            .unwrap();
        let r = Neonops::new()
            .db(&db)
            .args(["migrate", "--dir", &m.arg(), "--lock-wait", "1s"])
            .run();
        r.code(1)
            .stderr_has("waiting for the migration lock, held by pid")
            .stderr_has("other-runner")
            .stderr_has("--lock-wait")
            .lacks("runner-elsewhere");
        assert!(db.history().is_empty());
        // In --json, the error names the holder as a session, not in words.
        let r = Neonops::new()
            .db(&db)
            .args(["--json", "migrate", "--dir", &m.arg(), "--lock-wait", "1s"])
            .run();
        r.code(1);
        let e: crate::json::ErrorReport = r.json();
        let b = e.error.blocker.expect("the blocker");
        assert_eq!(b["application_name"], "other-runner");
        assert!(b["pid"].as_i64().unwrap() > 0);
        let child = Neonops::new()
            .db(&db)
            .args(["migrate", "--dir", &m.arg(), "--lock-wait", "30s"])
            .spawn();
        tokio::time::sleep(Duration::from_millis(800)).await;
        holder
            .batch_execute(&format!("SELECT pg_advisory_unlock({key})"))
            .await
            .unwrap();
        Run::from_output(child.wait_with_output().unwrap(), "migrate").code(0);
    });
    assert_eq!(db.history(), ["1", "2", "3"]);
}

/// A migration that releases the migration lock (`pg_advisory_unlock_all()`)
/// while another runner waits for it: the runner takes the lock back after
/// that file, finds the other runner holding it, and stops there (the file
/// rolled back, nothing after it applied), in a transaction and outside one.
/// With nobody waiting, the run goes on.
#[test]
fn a_migration_that_releases_the_lock_cannot_let_a_second_runner_in() {
    let key = {
        let t = neonops::migrate::Table::new("refinery_schema_history").unwrap();
        neonops::migrate::run::lock_key(&t)
    };
    let s = sandbox();
    for (name, unlock) in [
        (
            "mig_unlock_tx",
            "SELECT pg_advisory_unlock_all();\nINSERT INTO a VALUES (1);",
        ),
        (
            "mig_unlock_nt",
            "-- neonops:no-transaction\nSELECT pg_advisory_unlock_all();\nINSERT INTO a VALUES (1);",
        ),
    ] {
        let m = Migrations::new(&[
            (
                "V1__a.sql",
                "CREATE TABLE a (id int);\nSELECT pg_sleep(1.5);",
            ),
            ("V2__unlock.sql", unlock),
            ("V3__b.sql", "CREATE TABLE b (id int);"),
        ]);
        let db = TestDb::new(name);
        block_on(async {
            let child = Neonops::new()
                .db(&db)
                .args(["migrate", "--dir", &m.arg()])
                .spawn();
            // The runner holds the lock (V1 sleeps): a second one waits for it.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let other = s.connect(&db.direct_url()).await.unwrap();
            let waiting = tokio::spawn(async move {
                other
                    .batch_execute(&format!("SELECT pg_advisory_lock({key})"))
                    .await
                    .map(|_| other)
            });
            let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap());
            let r = Run::from_output(out.await.unwrap(), "migrate");
            r.code(1)
                .stderr_has("V2__unlock")
                .stderr_has("released the migration lock");
            // The other runner got the lock when V2 released it.
            let _holder = waiting.await.unwrap().unwrap();
        });
        assert_eq!(db.history(), ["1"], "{name}");
        if name == "mig_unlock_tx" {
            assert!(
                db.column("SELECT id::text FROM a").is_empty(),
                "V2 rolled back"
            );
        }
        assert!(db.column("SELECT to_regclass('b')::text")[0].is_empty());
        // Nobody waiting: the lock is taken back and the run completes.
        let again = TestDb::new(&format!("{name}_alone"));
        migrate(&again, &m, &[]).code(0);
        assert_eq!(again.history(), ["1", "2", "3"]);
    }
}

/// The runner's timeouts hold for every migration of the run, even after
/// one that resets them for its session (`RESET ALL`, a `SET` without
/// `LOCAL`), in a transaction or outside one.
#[test]
fn the_runners_timeouts_outlast_a_migration_that_resets_them() {
    let db = TestDb::new("mig_reset");
    let seen = |t: &str| {
        format!(
            "CREATE TABLE {t} AS SELECT current_setting('lock_timeout') AS l, current_setting('statement_timeout') AS s;"
        )
    };
    let (after_reset, after_set) = (seen("after_reset"), seen("after_set"));
    let m = Migrations::new(&[
        ("V1__reset.sql", "RESET ALL;\nCREATE TABLE a (id int);"),
        ("V2__seen.sql", &after_reset),
        (
            "V3__set.sql",
            "-- neonops:no-transaction\nSET lock_timeout = 0;\nSET statement_timeout = 0;",
        ),
        ("V4__seen.sql", &after_set),
    ]);
    migrate(&db, &m, &[]).code(0);
    for t in ["after_reset", "after_set"] {
        assert_eq!(
            db.query(&format!("SELECT l, s FROM {t}")),
            [[Some("5s".to_string()), Some("10min".to_string())]],
            "{t}"
        );
    }
}

#[test]
fn no_transaction_files_build_indexes_concurrently_and_invalid_ones_are_reported() {
    let db = TestDb::new("mig_cic");
    let m = Migrations::new(&[
        (
            "V1__create_t.sql",
            "CREATE TABLE t (id int, email text); INSERT INTO t VALUES (1, 'x'), (2, 'x');",
        ),
        (
            "V2__index_id.sql",
            "-- neonops:no-transaction\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\n",
        ),
    ]);
    let (r, rep) = migrate_json(&db, &m, &[]);
    r.code(0);
    assert!(!rep.applied[1].transaction);
    assert_eq!(
        db.column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_id_idx'::regclass"),
        ["true"]
    );

    // A unique index over duplicates fails and leaves an INVALID index behind.
    m.write(
        "V3__unique_email.sql",
        "-- neonops:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY t_email_key ON t (email);\n",
    );
    let (r, rep) = migrate_json(&db, &m, &[]);
    r.code(1);
    let f = rep.failure.unwrap();
    assert_eq!(f.invalid_indexes, ["t_email_key"]);
    assert!(
        f.fix.contains("DROP INDEX CONCURRENTLY t_email_key"),
        "{}",
        f.fix
    );
    assert_eq!(db.history(), ["1", "2"]);
    // The next run refuses while the invalid index is there.
    db.exec("DELETE FROM t WHERE id = 2");
    migrate(&db, &m, &[])
        .code(1)
        .stderr_has("INVALID")
        .stderr_has("DROP INDEX CONCURRENTLY t_email_key");
    db.exec("DROP INDEX t_email_key");
    migrate(&db, &m, &[]).code(0);
    assert_eq!(db.history(), ["1", "2", "3"]);
}

#[test]
fn a_failure_stops_the_run_and_keeps_what_committed_before_it() {
    let db = TestDb::new("mig_fail");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        (
            "V2__broken.sql",
            "CREATE TABLE b (id int); SELECT no_such_column FROM a;",
        ),
        ("V3__c.sql", "CREATE TABLE c (id int);"),
    ]);
    let (r, rep) = migrate_json(&db, &m, &[]);
    r.code(1);
    assert_eq!(rep.applied.len(), 1);
    let f = rep.failure.unwrap();
    assert_eq!(f.version, 2);
    assert_eq!(f.sqlstate.as_deref(), Some("42703"));
    assert_eq!(db.history(), ["1"]);
    assert!(
        db.column("SELECT to_regclass('b')::text")[0].is_empty(),
        "half of V2 was committed"
    );
    assert!(
        db.column("SELECT to_regclass('c')::text")[0].is_empty(),
        "V3 ran after a failure"
    );

    // Grouped: all or nothing, and the failure names the file it is in (by
    // the error's position here, 42703 has one)…
    let db = TestDb::new("mig_grouped");
    let (r, rep) = migrate_json(&db, &m, &["--grouped"]);
    r.code(1);
    let f = rep.failure.unwrap();
    assert_eq!((f.version, f.sqlstate.as_deref()), (2, Some("42703")));
    assert!(f.message.contains("(line 1, column 33)"), "{}", f.message);
    assert!(db.history().is_empty());
    assert!(db.column("SELECT to_regclass('a')::text")[0].is_empty());
    // … or by how far the server got (division by zero has no position).
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__b.sql", "CREATE TABLE b (id int);"),
        ("V3__zero.sql", "SELECT 1 / (SELECT count(*)::int FROM b);"),
    ]);
    let (r, rep) = migrate_json(&db, &m, &["--grouped"]);
    r.code(1);
    let f = rep.failure.unwrap();
    assert_eq!((f.version, f.sqlstate.as_deref()), (3, Some("22012")));
    assert!(db.history().is_empty());
    // Applied, each gets its own duration.
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__slow.sql", "SELECT pg_sleep(0.3);"),
    ]);
    let (r, rep) = migrate_json(&db, &m, &["--grouped"]);
    r.code(0);
    let ms: Vec<u64> = rep.applied.iter().map(|s| s.duration_ms).collect();
    assert!(ms[1] >= 300 && ms[0] < 300, "{ms:?}");
    assert_eq!(db.history(), ["1", "2"]);
}

/// A COMMIT that fails (a deferred constraint) leaves no aborted transaction;
/// the pipelined migrations after it must still not run.
#[test]
fn a_commit_time_failure_stops_the_pipeline() {
    let db = TestDb::new("mig_commit");
    let m = Migrations::new(&[
        (
            "V1__p.sql",
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p DEFERRABLE INITIALLY DEFERRED);",
        ),
        ("V2__bad_row.sql", "INSERT INTO c VALUES (42);"),
        ("V3__after.sql", "CREATE TABLE after_bad (id int);"),
        ("V4__after_too.sql", "CREATE TABLE after_bad_too (id int);"),
    ]);
    // Grouped, the COMMIT fails after every file ran: the failure says so
    // rather than blaming the last file, and nothing is applied.
    let grouped = TestDb::new("mig_commit_grouped");
    let (r, rep) = migrate_json(&grouped, &m, &["--grouped"]);
    r.code(1);
    let f = rep.failure.unwrap();
    assert_eq!(f.sqlstate.as_deref(), Some("23503"));
    assert!(
        f.message
            .contains("at the COMMIT of the --grouped transaction of V1…V4"),
        "{}",
        f.message
    );
    assert!(f.fix.contains("without --grouped"), "{}", f.fix);
    assert!(grouped.history().is_empty());
    assert!(grouped.column("SELECT to_regclass('p')::text")[0].is_empty());

    let (r, rep) = migrate_json(&db, &m, &[]);
    r.code(1);
    let f = rep.failure.unwrap();
    assert_eq!(f.version, 2);
    assert_eq!(f.sqlstate.as_deref(), Some("23503"));
    assert_eq!(db.history(), ["1"]);
    assert!(db.column("SELECT to_regclass('after_bad')::text")[0].is_empty());
    assert!(db.column("SELECT to_regclass('after_bad_too')::text")[0].is_empty());

    // The same across messages: V2 (INSERT … SELECT) has a message of its
    // own, and the guard of the next one stops V3.
    let db = TestDb::new("mig_commit_guard");
    let m = Migrations::new(&[
        (
            "V1__p.sql",
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p DEFERRABLE INITIALLY DEFERRED);",
        ),
        ("V2__bad_row.sql", "INSERT INTO c SELECT 42;"),
        ("V3__after.sql", "CREATE TABLE after_bad (id int);"),
    ]);
    let (r, rep) = migrate_json(&db, &m, &["-vv"]);
    r.code(1).stderr_has("pipelining migrations=3 messages=3");
    let f = rep.failure.unwrap();
    assert_eq!((f.version, f.sqlstate.as_deref()), (2, Some("23503")));
    assert_eq!(db.history(), ["1"]);
    assert!(db.column("SELECT to_regclass('after_bad')::text")[0].is_empty());
}

/// Quick files (new objects, tables of this run) share a message; a file
/// that touches what existed before the run, or runs a query, has one of
/// its own. Each keeps its own duration, measured by the server.
#[test]
fn quick_files_share_a_message_and_keep_their_own_durations() {
    let db = TestDb::new("mig_messages");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int PRIMARY KEY);"),
        (
            "V2__slow_row.sql",
            "INSERT INTO a VALUES ((SELECT 1 FROM pg_sleep(0.3)));",
        ),
        ("V3__b.sql", "CREATE TABLE b (id int);"),
        ("V4__backfill.sql", "UPDATE a SET id = id + 1;"),
        ("V5__c.sql", "CREATE TABLE c (id int);"),
        ("V6__d.sql", "CREATE INDEX ON c (id);"),
    ]);
    let (r, rep) = migrate_json(&db, &m, &["-vv"]);
    r.code(0).stderr_has("pipelining migrations=6 messages=3");
    let ms: Vec<(i32, u64)> = rep
        .applied
        .iter()
        .map(|s| (s.version, s.duration_ms))
        .collect();
    assert_eq!(
        ms.iter().map(|m| m.0).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert!(ms[1].1 >= 300, "V2 slept 0.3 s: {ms:?}");
    assert!(ms[0].1 < 300 && ms[2].1 < 300, "only V2 slept: {ms:?}");
    assert_eq!(db.history(), ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(db.column("SELECT id::text FROM a"), ["2"]);
}

/// The history rows are INSERTs prepared once a batch: a migration that
/// deallocates prepared statements (its own, or all of them) must not take
/// the history's with it, in its own message or in a later one.
#[test]
fn a_migration_that_deallocates_prepared_statements_keeps_its_history() {
    let db = TestDb::new("mig_deallocate");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int PRIMARY KEY);"),
        (
            "V2__own_statement.sql",
            "PREPARE add_a(int) AS INSERT INTO a VALUES ($1);\nEXECUTE add_a(1);\nDEALLOCATE add_a;",
        ),
        ("V3__b.sql", "CREATE TABLE b (id int);"),
        ("V4__all.sql", "Deallocate All;\nCREATE TABLE c (id int);"),
        ("V5__d.sql", "CREATE TABLE d (id int);"),
    ]);
    migrate(&db, &m, &[]).code(0);
    assert_eq!(db.history(), ["1", "2", "3", "4", "5"]);
    assert_eq!(db.column("SELECT id::text FROM a"), ["1"]);
    status(&db, &m, &["--exit-code"]).code(0);
}

/// PostgreSQL parses a whole message before it runs any of it: a file its
/// parser rejects (newer syntax than the server's, which neonops' parser
/// accepts) stops the message before the files ahead of it run, and the
/// failure names that file, line and column.
#[test]
fn a_syntax_error_the_server_finds_is_reported_in_its_file() {
    let db = TestDb::new("mig_server_syntax");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        (
            "V2__virtual.sql",
            "-- PostgreSQL 18\nCREATE TABLE v (a int,\n  b int GENERATED ALWAYS AS (a * 2) VIRTUAL);",
        ),
    ]);
    let (r, rep) = migrate_json(&db, &m, &[]);
    r.code(1);
    let f = rep.failure.unwrap();
    assert_eq!(
        (f.version, f.sqlstate.as_deref()),
        (2, Some("42601")),
        "{f:?}"
    );
    assert!(f.message.contains("(line 3, column 37)"), "{}", f.message);
    assert!(rep.applied.is_empty());
    assert!(db.column("SELECT to_regclass('a')::text")[0].is_empty());
    // Fixed, the re-run applies both.
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        (
            "V2__virtual.sql",
            "CREATE TABLE v (a int, b int GENERATED ALWAYS AS (a * 2) STORED);",
        ),
    ]);
    migrate(&db, &m, &[]).code(0);
    assert_eq!(db.history(), ["1", "2"]);
}

#[test]
fn a_pooler_it_cannot_get_around_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[[pooler]]\nname = \"corp-bouncer\"\nhost = \"bouncer.invalid\"\nport = 6432\n",
    )
    .unwrap();
    let m = three();
    for cmd in ["migrate", "status", "validate"] {
        Neonops::new()
            .cwd(dir.path())
            .env("DATABASE_URL", "postgres://app@bouncer.invalid:6432/app")
            .args([cmd, "--dir", &m.arg()])
            .run()
            .code(2)
            .stderr_has("corp-bouncer")
            .stderr_has("--direct-url");
    }
    // Pointing --direct-url at the pooler itself is refused too.
    Neonops::new()
        .cwd(dir.path())
        .args([
            "migrate",
            "--dir",
            &m.arg(),
            "--direct-url",
            "postgres://app@bouncer.invalid:6432/app",
        ])
        .run()
        .code(2)
        .stderr_has("points at a pooler");
}

#[test]
fn protected_environments_need_yes_without_a_terminal() {
    let db = TestDb::new("mig_protected");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[environments.prod]\ndatabase_url_var = \"PROD_URL\"\nprotected = true\n",
    )
    .unwrap();
    let m = three();
    let run = |extra: &[&str]| {
        Neonops::new()
            .sandbox()
            .cwd(dir.path())
            .env("PROD_URL", db.pooled_url())
            .args(["--env", "prod", "migrate", "--dir", &m.arg()])
            .args(extra)
            .run()
    };
    run(&[]).code(2).stderr_has("protected").stderr_has("--yes");
    assert!(db.history().is_empty());
    run(&["--plan"]).code(0);
    run(&["--yes"]).code(0);
    assert_eq!(db.history(), ["1", "2", "3"]);
}

#[test]
fn github_actions_get_annotations() {
    let db = TestDb::new("mig_gha");
    let m = Migrations::new(&[("V1__broken.sql", "SELECT * FROM nowhere;")]);
    Neonops::new()
        .db(&db)
        .env("GITHUB_ACTIONS", "true")
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(1)
        .stderr_has("::error file=")
        .stderr_has("V1__broken.sql");
}

#[test]
fn new_names_the_next_migration() {
    let m = Migrations::new(&[("V1__a.sql", "SELECT 1;"), ("V7__b.sql", "SELECT 1;")]);
    let r = Neonops::new()
        .args(["new", "--dir", &m.arg(), "Add users email index!"])
        .run();
    r.code(0).stdout_has("V8__add_users_email_index.sql");
    let r = Neonops::new()
        .args([
            "new",
            "--dir",
            &m.arg(),
            "--no-transaction",
            "concurrent index",
        ])
        .run();
    r.code(0).stdout_has("V9__concurrent_index.sql");
    let text = std::fs::read_to_string(m.path().join("V9__concurrent_index.sql")).unwrap();
    assert!(text.starts_with("-- neonops:no-transaction\n"));
    Neonops::new()
        .args(["new", "--dir", &m.arg(), "--version", "7", "x"])
        .run()
        .code(2)
        .stderr_has("already used");
    let empty = tempfile::tempdir().unwrap();
    let sub = empty.path().join("migrations");
    Neonops::new()
        .cwd(empty.path())
        .args(["new", "init"])
        .run()
        .code(0)
        .stdout_has("V1__init.sql");
    assert!(sub.join("V1__init.sql").exists());
}

#[test]
fn a_file_the_parser_rejects_is_named_at_its_line_and_column_before_any_ddl() {
    let db = TestDb::new("mig_syntax");
    let m = Migrations::new(&[
        ("V1__ok.sql", "CREATE TABLE ok (id int);"),
        (
            "V2__typo.sql",
            "CREATE TABLE a (id int);\n-- the typo is on the next line\nALTER TABEL a ADD COLUMN b int;\n",
        ),
    ]);
    let r = migrate(&db, &m, &[]);
    r.code(2)
        .stderr_has("V2__typo.sql:3:7")
        .stderr_has("syntax error at or near \"TABEL\"")
        .stderr_has("nothing was changed");
    assert!(db.history().is_empty());
    assert!(db.column("SELECT coalesce(to_regclass('ok')::text, '')")[0].is_empty());
    // A GitHub annotation points at the line and column.
    Neonops::new()
        .db(&db)
        .env("GITHUB_ACTIONS", "true")
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(2)
        .stderr_has("V2__typo.sql,line=3,col=7,title=neonops::");
    // The plan refuses the same way; validate too.
    migrate(&db, &m, &["--plan"])
        .code(2)
        .stderr_has("V2__typo.sql:3:7");
    Neonops::new()
        .db(&db)
        .args(["validate", "--dir", &m.arg()])
        .run()
        .code(2)
        .stderr_has("V2__typo.sql:3:7");
}

/// A query neonops sent that the server refused: its SQLSTATE reaches
/// the top-level JSON error.
#[test]
fn a_refused_history_query_carries_its_sqlstate_in_json() {
    let db = TestDb::new("mig_sqlstate");
    // A table of that name, but not refinery's layout.
    db.exec("CREATE TABLE refinery_schema_history (version int4)");
    let m = three();
    for cmd in ["migrate", "status"] {
        let r = Neonops::new()
            .db(&db)
            .args(["--json", cmd, "--dir", &m.arg()])
            .run();
        r.code(1).stderr_has("reading the history table");
        let e: crate::json::ErrorReport = r.json();
        assert_eq!(e.error.sqlstate.as_deref(), Some("42703"), "{cmd}");
    }
}
