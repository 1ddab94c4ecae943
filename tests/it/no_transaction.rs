//! No-transaction migrations that stop part way: a failed statement, an
//! edited file, a runner killed while a statement runs. The next run
//! continues exactly where the last one stopped, or says exactly what to do.

use std::time::{Duration, Instant};

use crate::harness::{Migrations, Neonops, Run, TestDb, block_on, sandbox};

fn migrate(db: &TestDb, m: &Migrations, extra: &[&str]) -> Run {
    Neonops::new()
        .db(db)
        .args(["migrate", "--dir", &m.arg()])
        .args(extra)
        .run()
}

const HEADER: &str = "-- neonops:no-transaction\n";

fn wait_for(db: &TestDb, what: &str, sql: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while db.column(sql)[0] == "0" {
        assert!(
            Instant::now() < deadline,
            "{what} never happened: {:?}",
            db.query("SELECT state, wait_event, query FROM pg_stat_activity WHERE backend_type = 'client backend'")
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_failed_statement_is_fixed_and_the_run_continues_there() {
    let db = TestDb::new("nt_failed");
    db.exec("CREATE TABLE t (a int, b int); CREATE TABLE log (n int)");
    let m = Migrations::new(&[(
        "V1__three.sql",
        &format!(
            "{HEADER}INSERT INTO log VALUES (1);\nCREATE INDEX CONCURRENTLY t_c ON t (c);\nINSERT INTO log VALUES (3);\n"
        ),
    )]);
    let r = migrate(&db, &m, &[]);
    r.code(1)
        .stderr_has("statement 2 of 3 failed")
        .stderr_has("statement 1 ran before it and stays applied")
        .stderr_has("continues at statement 2");
    assert_eq!(db.column("SELECT count(*)::text FROM log"), ["1"]);
    assert!(db.history().is_empty());
    // Fixing an already-run statement is refused, with what to do.
    m.write(
        "V1__three.sql",
        &format!(
            "{HEADER}INSERT INTO log VALUES (10);\nCREATE INDEX CONCURRENTLY t_b ON t (b);\nINSERT INTO log VALUES (3);\n"
        ),
    );
    migrate(&db, &m, &[])
        .code(1)
        .stderr_has("after 1 of its statements had run")
        .stderr_has("put statements 1 to 1 back as they were");
    // Fixing the failed statement: the run continues at statement 2.
    m.write(
        "V1__three.sql",
        &format!(
            "{HEADER}INSERT INTO log VALUES (1);\nCREATE INDEX CONCURRENTLY t_b ON t (b);\nINSERT INTO log VALUES (3);\n"
        ),
    );
    migrate(&db, &m, &[])
        .code(0)
        .stderr_has("continuing at statement 2 of 3");
    assert_eq!(db.column("SELECT n::text FROM log ORDER BY n"), ["1", "3"]);
    assert_eq!(db.history(), ["1"]);
    assert_eq!(
        db.column("SELECT count(*)::text FROM refinery_schema_history_progress"),
        ["0"]
    );
}

#[test]
fn killed_during_an_unknowable_statement_it_says_exactly_what_to_do() {
    let db = TestDb::new("nt_killed");
    db.exec("CREATE TABLE log (n int)");
    let m = Migrations::new(&[(
        "V1__slow.sql",
        &format!(
            "{HEADER}INSERT INTO log VALUES (1);\nSELECT pg_sleep(1.5);\nINSERT INTO log VALUES (3);\n"
        ),
    )]);
    let mut child = Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .spawn();
    wait_for(
        &db,
        "the slow statement",
        "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%'",
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let r = migrate(&db, &m, &[]);
    r.code(1)
        .stderr_has("interrupted while statement 2 of 3 was running (`SELECT pg_sleep(1.5)`)")
        .stderr_has("statement 1 completed")
        .stderr_has("neonops migrate --resume-from 1:3")
        .stderr_has("neonops migrate --resume-from 1:2");
    // A --resume-from that does not fit is refused.
    migrate(&db, &m, &["--resume-from", "1:1"])
        .code(1)
        .stderr_has("does not fit");
    migrate(&db, &m, &["--resume-from", "1:3"]).code(0);
    assert_eq!(db.column("SELECT n::text FROM log ORDER BY n"), ["1", "3"]);
    assert_eq!(db.history(), ["1"]);
    // Nothing left to resume.
    migrate(&db, &m, &["--resume-from", "1:3"]).code(0);
}

#[test]
fn killed_during_an_index_build_the_next_run_knows_it_finished() {
    let db = TestDb::new("nt_cic");
    db.exec("CREATE TABLE t (a int, b int); INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g; CREATE TABLE log (n int)");
    let m = Migrations::new(&[(
        "V1__indexes.sql",
        &format!(
            "{HEADER}INSERT INTO log VALUES (1);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nINSERT INTO log VALUES (3);\n"
        ),
    )]);
    let s = sandbox();
    block_on(async {
        // A transaction that holds a snapshot makes CREATE INDEX
        // CONCURRENTLY wait for it (within lock_timeout).
        let blocker = s.connect(&db.direct_url()).await.unwrap();
        blocker
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM log;")
            .await
            .unwrap();
        let mut child = Neonops::new()
            .db(&db)
            .args(["migrate", "--dir", &m.arg()])
            .spawn();
        wait_for(
            &db,
            "the index build",
            "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY t_a%'",
        );
        child.kill().unwrap();
        child.wait().unwrap();
        // The build goes on without its client, and finishes.
        blocker.batch_execute("COMMIT").await.unwrap();
    });
    let r = migrate(&db, &m, &[]);
    r.code(0).stderr_has("continuing at statement 3 of 3");
    assert_eq!(db.column("SELECT n::text FROM log ORDER BY n"), ["1", "3"]);
    assert_eq!(
        db.column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_a'::regclass"),
        ["true"]
    );
    assert_eq!(db.history(), ["1"]);
}
