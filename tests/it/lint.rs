//! The lint's lock claims against PostgreSQL 15 itself: every statement of
//! the rule table is traced on the sandbox (pg_locks of its own backend, and
//! relfilenode for rewrites) and must agree with the static claim; the
//! statements that cannot run in a transaction are watched from a second
//! session while a blocker makes them wait. And `neonops lint` end to end.

use std::time::{Duration, Instant};

use neonops::lint::{self, LintFile, LockMode};

use crate::harness::{Migrations, Neonops, TestDb, block_on, sandbox};

const SETUP: &str = "
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(10), n numeric(10,2), ts timestamp, p_id int, c text);
INSERT INTO p SELECT g FROM generate_series(1, 100) g;
INSERT INTO t SELECT g, g, 'x', 1, now(), g % 100 + 1, 'c' FROM generate_series(1, 1000) g;
CREATE INDEX t_a ON t (a);
CREATE UNIQUE INDEX t_id_u ON t (id);
ALTER TABLE t ADD CONSTRAINT t_chk CHECK (a > 0) NOT VALID;
CREATE MATERIALIZED VIEW v AS SELECT id FROM t;
CREATE UNIQUE INDEX v_id ON v (id);
CREATE TABLE parted (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE part1 (id int, k int);
CREATE TYPE mood AS ENUM ('ok');
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE c (id int PRIMARY KEY, p_id int CONSTRAINT c_p_fk REFERENCES p (id), note text);
CREATE TRIGGER c_tr BEFORE INSERT ON c FOR EACH ROW EXECUTE FUNCTION trg();
";

/// (statement, the strongest lock it claims on its own table, rewrite)
const CASES: &[(&str, &str, LockMode, bool)] = &[
    // Dropping a foreign key (with its column, by name) drops its triggers
    // on the referenced table: ACCESS EXCLUSIVE there too.
    (
        "ALTER TABLE c DROP COLUMN p_id",
        "p",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE c DROP CONSTRAINT c_p_fk",
        "p",
        LockMode::AccessExclusive,
        false,
    ),
    ("DROP TABLE c", "p", LockMode::AccessExclusive, false),
    (
        "ALTER TABLE c DROP COLUMN note",
        "c",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "DROP TRIGGER c_tr ON c",
        "c",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "DROP FUNCTION trg() CASCADE",
        "",
        LockMode::AccessShare,
        false,
    ),
    (
        "ALTER INDEX t_a RENAME TO t_a2",
        "t_a",
        LockMode::ShareUpdateExclusive,
        false,
    ),
    (
        "ALTER TABLE c RENAME TO c2",
        "c",
        LockMode::AccessExclusive,
        false,
    ),
    ("CREATE INDEX t_b ON t (b)", "t", LockMode::Share, false),
    (
        "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id)",
        "t",
        LockMode::ShareRowExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID",
        "t",
        LockMode::ShareRowExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD CONSTRAINT c2 CHECK (a > 0)",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD CONSTRAINT c2 CHECK (a > 0) NOT VALID",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD CONSTRAINT u2 UNIQUE USING INDEX t_id_u",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN a DROP NOT NULL",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN a TYPE bigint",
        "t",
        LockMode::AccessExclusive,
        true,
    ),
    (
        "ALTER TABLE t ALTER COLUMN b TYPE varchar(20)",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN b TYPE text",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2)",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD COLUMN d uuid DEFAULT gen_random_uuid()",
        "t",
        LockMode::AccessExclusive,
        true,
    ),
    (
        "ALTER TABLE t ADD COLUMN e timestamptz DEFAULT now()",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD COLUMN f int DEFAULT 0 NOT NULL",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD COLUMN g bigserial",
        "t",
        LockMode::AccessExclusive,
        true,
    ),
    (
        "ALTER TABLE t ADD COLUMN h int GENERATED ALWAYS AS IDENTITY",
        "t",
        LockMode::AccessExclusive,
        true,
    ),
    (
        "ALTER TABLE t ADD COLUMN i int GENERATED ALWAYS AS (a * 2) STORED",
        "t",
        LockMode::AccessExclusive,
        true,
    ),
    (
        "ALTER TABLE t ADD COLUMN q int REFERENCES p (id)",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD COLUMN u int UNIQUE",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ADD COLUMN k int CHECK (k > 0)",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t ALTER COLUMN a SET STATISTICS 500",
        "t",
        LockMode::ShareUpdateExclusive,
        false,
    ),
    (
        "ALTER TABLE t VALIDATE CONSTRAINT t_chk",
        "t",
        LockMode::ShareUpdateExclusive,
        false,
    ),
    (
        "ALTER TABLE t DROP CONSTRAINT t_chk",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t RENAME COLUMN c TO c2",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t RENAME TO t9",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t DROP COLUMN c",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    (
        "ALTER TABLE t SET (fillfactor = 70)",
        "t",
        LockMode::ShareUpdateExclusive,
        false,
    ),
    (
        "ALTER TABLE t CLUSTER ON t_a",
        "t",
        LockMode::ShareUpdateExclusive,
        false,
    ),
    (
        "ALTER TABLE t DISABLE TRIGGER ALL",
        "t",
        LockMode::ShareRowExclusive,
        false,
    ),
    (
        "ALTER TABLE t SET UNLOGGED",
        "t",
        LockMode::AccessExclusive,
        true,
    ),
    (
        "ALTER TABLE parted ATTACH PARTITION part1 FOR VALUES FROM (0) TO (10)",
        "parted",
        LockMode::ShareUpdateExclusive,
        false,
    ),
    ("DROP INDEX t_a", "t", LockMode::AccessExclusive, false),
    (
        "DROP TABLE t CASCADE",
        "t",
        LockMode::AccessExclusive,
        false,
    ),
    ("CLUSTER t USING t_a", "t", LockMode::AccessExclusive, true),
    ("LOCK TABLE t", "t", LockMode::AccessExclusive, false),
    ("LOCK TABLE t IN SHARE MODE", "t", LockMode::Share, false),
    (
        "REFRESH MATERIALIZED VIEW v",
        "v",
        LockMode::AccessExclusive,
        true,
    ),
    (
        "REFRESH MATERIALIZED VIEW CONCURRENTLY v",
        "v",
        LockMode::Exclusive,
        false,
    ),
    ("REINDEX TABLE t", "t", LockMode::Share, false),
    ("REINDEX INDEX t_a", "t", LockMode::Share, false),
    ("UPDATE t SET a = a + 1", "t", LockMode::RowExclusive, false),
    (
        "DELETE FROM t WHERE id < 0",
        "t",
        LockMode::RowExclusive,
        false,
    ),
    (
        "INSERT INTO t (id) VALUES (5000)",
        "t",
        LockMode::RowExclusive,
        false,
    ),
    ("TRUNCATE t CASCADE", "t", LockMode::AccessExclusive, true),
    (
        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()",
        "t",
        LockMode::ShareRowExclusive,
        false,
    ),
    (
        "COMMENT ON TABLE t IS 'x'",
        "t",
        LockMode::ShareUpdateExclusive,
        false,
    ),
    (
        "CREATE TABLE n (id int REFERENCES p (id))",
        "p",
        LockMode::ShareRowExclusive,
        false,
    ),
    (
        "ALTER TYPE mood ADD VALUE 'sad'",
        "",
        LockMode::AccessShare,
        false,
    ),
];

async fn traced(db: &str, sql: &str) -> (lint::Analysis, lint::trace::Trace) {
    let s = sandbox();
    let c = s
        .connect(&s.url_with(&s.direct_host, &s.role, db))
        .await
        .expect("connect");
    let files = [LintFile {
        name: "case.sql".into(),
        sql,
        no_transaction: false,
    }];
    let analysis = lint::analyze_with_database(&c, &files, &lint::Settings::default())
        .await
        .expect("analysis");
    let settings = lint::Settings::default();
    let trace = lint::trace::trace_files(&c, &files, &analysis, &settings, db.to_string())
        .await
        .expect("trace");
    (analysis, trace)
}

#[test]
fn every_lock_claim_is_what_postgres_takes() {
    let template = TestDb::new("lint_template");
    template.exec(SETUP);
    let s = sandbox();
    let mut disagreements = Vec::new();
    for (i, (sql, table, mode, rewrite)) in CASES.iter().enumerate() {
        let db = format!("t_lint_case_{i}");
        block_on(async {
            let admin = s.connect_admin("postgres").await.unwrap();
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
                .await
                .unwrap();
            admin
                .batch_execute(&format!(
                    "CREATE DATABASE {db} TEMPLATE {} OWNER {}",
                    template.name, s.role
                ))
                .await
                .unwrap();
            let (analysis, trace) = traced(&db, sql).await;
            let a = &analysis.statements_analyzed[0];
            let t = &trace.statements[0];
            assert!(
                t.note
                    .as_deref()
                    .is_none_or(|n| !n.starts_with("not traced")),
                "{sql}: {t:?}"
            );
            if !t.agrees {
                disagreements.push(format!("{sql}: {}", t.note.clone().unwrap_or_default()));
            }
            if !table.is_empty() {
                let claimed = a
                    .effect
                    .locks
                    .iter()
                    .filter(|c| c.table == *table)
                    .map(|c| c.mode)
                    .max();
                assert_eq!(claimed, Some(*mode), "{sql}: claims {:?}", a.effect.locks);
            }
            let traced_rewrite = !t.rewritten.is_empty() && t.rewritten.iter().any(|r| r == table);
            assert_eq!(
                traced_rewrite, *rewrite,
                "{sql}: rewritten {:?}",
                t.rewritten
            );
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .await
                .unwrap();
        });
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Claims that depend on what came before in the file, traced the same way.
#[test]
fn claims_that_depend_on_the_file_are_what_postgres_does() {
    let template = TestDb::new("lint_template_ctx");
    template.exec(SETUP);
    let s = sandbox();
    // (file, the statement's index, the table, rewrite)
    let cases: &[(&str, usize, &str, bool)] = &[
        (
            "SET timezone = 'UTC';\nALTER TABLE t ALTER COLUMN ts TYPE timestamptz USING ts",
            1,
            "t",
            false,
        ),
        (
            "SET timezone = 'Europe/Paris';\nALTER TABLE t ALTER COLUMN ts TYPE timestamptz USING ts",
            1,
            "t",
            true,
        ),
        (
            "SET timezone = 'UTC';\nALTER TABLE t ALTER COLUMN ts TYPE timestamptz USING ts + interval '1 hour'",
            1,
            "t",
            true,
        ),
        (
            "CREATE TABLE n (a int);\nALTER TABLE n RENAME TO m;\nCREATE INDEX m_a ON m (a)",
            2,
            "",
            false,
        ),
    ];
    for (i, (sql, k, table, rewrite)) in cases.iter().enumerate() {
        let db = format!("t_lint_ctx_{i}");
        block_on(async {
            let admin = s.connect_admin("postgres").await.unwrap();
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
                .await
                .unwrap();
            admin
                .batch_execute(&format!(
                    "CREATE DATABASE {db} TEMPLATE {} OWNER {}",
                    template.name, s.role
                ))
                .await
                .unwrap();
            let (analysis, trace) = traced(&db, sql).await;
            let t = &trace.statements[*k];
            assert!(t.agrees, "{sql}: {t:?}");
            let a = &analysis.statements_analyzed[*k];
            assert_eq!(
                !a.effect.rewrites.is_empty(),
                *rewrite,
                "{sql}: {:?}",
                a.effect
            );
            if !table.is_empty() {
                assert_eq!(
                    t.rewritten.iter().any(|r| r == table),
                    *rewrite,
                    "{sql}: {t:?}"
                );
            }
            // A table this file created (and renamed) is new: nothing to say.
            if table.is_empty() {
                assert!(
                    analysis.findings.is_empty(),
                    "{sql}: {:?}",
                    analysis.findings
                );
            }
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .await
                .unwrap();
        });
    }
}

/// The mode a backend holds (or waits for) on a relation.
fn mode_of(db: &TestDb, pid: &str, rel: &str) -> Option<String> {
    db.column(&format!(
        "SELECT coalesce(max(mode), '') FROM pg_locks WHERE pid = {pid} AND relation = '{rel}'::regclass"
    ))
    .into_iter()
    .next()
    .filter(|m| !m.is_empty())
}

/// Statements that cannot run in a transaction block: watched from another
/// session while a blocker makes them wait.
#[test]
fn statements_outside_a_transaction_take_what_they_claim() {
    let db = TestDb::new("lint_outside");
    db.exec(SETUP);
    let s = sandbox();
    let cases: &[(&str, &str, &str, LockMode)] = &[
        // (blocker, statement, relation, claimed mode)
        (
            "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM p",
            "CREATE INDEX CONCURRENTLY t_b ON t (b)",
            "t",
            LockMode::ShareUpdateExclusive,
        ),
        // It waits for the transactions that hold a lock on the table.
        (
            "BEGIN; SELECT count(*) FROM t",
            "DROP INDEX CONCURRENTLY t_a",
            "t",
            LockMode::ShareUpdateExclusive,
        ),
        (
            "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM p",
            "REINDEX TABLE CONCURRENTLY t",
            "t",
            LockMode::ShareUpdateExclusive,
        ),
        (
            "BEGIN; ANALYZE t",
            "VACUUM t",
            "t",
            LockMode::ShareUpdateExclusive,
        ),
        (
            "BEGIN; SELECT count(*) FROM t",
            "VACUUM FULL t",
            "t",
            LockMode::AccessExclusive,
        ),
    ];
    for (blocker_sql, sql, rel, want) in cases {
        // The static claim.
        let files = [LintFile {
            name: "case.sql".into(),
            sql,
            no_transaction: true,
        }];
        let a = block_on(async {
            let c = s.connect(&db.direct_url()).await.unwrap();
            lint::analyze_with_database(&c, &files, &lint::Settings::default())
                .await
                .unwrap()
        });
        let claimed = a.statements_analyzed[0]
            .effect
            .locks
            .iter()
            .filter(|c| c.table == *rel)
            .map(|c| c.mode)
            .max();
        assert_eq!(
            claimed,
            Some(*want),
            "{sql}: claims {:?}",
            a.statements_analyzed[0].effect
        );
        // The trace.
        block_on(async {
            let blocker = s.connect(&db.direct_url()).await.unwrap();
            blocker.batch_execute(blocker_sql).await.unwrap();
            let runner = s.connect(&db.direct_url()).await.unwrap();
            let pid = runner
                .query_one("SELECT pg_backend_pid()::text", &[])
                .await
                .unwrap()
                .get::<_, String>(0);
            let statement = sql.to_string();
            let running = tokio::spawn(async move { runner.batch_execute(&statement).await });
            let deadline = Instant::now() + Duration::from_secs(20);
            let seen = loop {
                if let Some(m) = mode_of(&db, &pid, rel)
                    && m == want.pg_locks_name()
                {
                    break m;
                }
                assert!(
                    Instant::now() < deadline,
                    "{sql}: never saw {}",
                    want.pg_locks_name()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            };
            assert_eq!(seen, want.pg_locks_name());
            blocker.batch_execute("ROLLBACK").await.unwrap();
            running.await.unwrap().unwrap();
        });
    }
}

#[test]
fn lint_reports_and_exits_by_severity() {
    let m = Migrations::new(&[
        (
            "V1__tables.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint);",
        ),
        (
            "V2__index.sql",
            "CREATE INDEX orders_account ON orders (account_id);\n-- neonops:allow rename-column: no code reads it yet\nALTER TABLE orders RENAME COLUMN account_id TO account;\n",
        ),
    ]);
    // Offline: V1's table exists for V2 and may be large.
    let r = Neonops::new()
        .args(["lint", "--offline", "--dir", &m.arg()])
        .run();
    r.code(1)
        .stdout_has("error  ")
        .stdout_has("V2__index.sql:1:1  index-without-concurrently")
        .stdout_has("lock: SHARE on orders; blocks writes, for the index build")
        .stdout_has("CREATE INDEX CONCURRENTLY orders_account ON orders USING btree (account_id);")
        .stdout_has("warning (allowed)");
    let v: serde_json::Value = Neonops::new()
        .args(["--json", "lint", "--offline", "--dir", &m.arg()])
        .run()
        .json();
    assert_eq!(v["ok"], false);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["allowed"], 1);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "index-without-concurrently");
    assert_eq!(f["lock"]["mode"], "SHARE");
    assert_eq!(f["lock"]["table"], "orders");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(1))
    );
    // --fail-on warning fails on the warning too; error-level allowed → 0.
    Neonops::new()
        .args(["lint", "--offline", "--fail-on", "info", "--dir", &m.arg()])
        .run()
        .code(1);
    // GitHub annotations at file:line:column.
    Neonops::new()
        .env("GITHUB_ACTIONS", "true")
        .args(["lint", "--offline", "--dir", &m.arg()])
        .run()
        .code(1)
        .stdout_has("::error file=")
        .stdout_has(
            "V2__index.sql,line=1,col=1,title=neonops lint%3A index-without-concurrently::",
        );
    // A file the parser rejects: exit 2, named at line and column.
    m.write("V3__bad.sql", "ALTER TABEL orders ADD COLUMN x int;");
    Neonops::new()
        .args(["lint", "--offline", "--dir", &m.arg()])
        .run()
        .code(2)
        .stdout_has("V3__bad.sql:1:7: PostgreSQL's parser rejects it");
}

#[test]
fn with_a_database_only_pending_files_are_graded_by_live_size() {
    let db = TestDb::new("lint_online");
    let m = Migrations::new(&[
        (
            "V1__tables.sql",
            "CREATE TABLE small (id int, a int); CREATE TABLE big (id int, a int);",
        ),
        (
            "V2__index.sql",
            "CREATE INDEX small_a ON small (a); CREATE INDEX big_a ON big (a);",
        ),
    ]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg(), "--target", "1"])
        .run()
        .code(0);
    db.exec("INSERT INTO small SELECT g, g FROM generate_series(1, 10) g; INSERT INTO big SELECT g, g FROM generate_series(1, 200000) g; ANALYZE small; ANALYZE big;");
    let v: serde_json::Value = Neonops::new()
        .db(&db)
        .args(["--json", "lint", "--dir", &m.arg()])
        .run()
        .json();
    assert_eq!(v["online"], true);
    assert_eq!(v["pg_version"], 15);
    let sev: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "index-without-concurrently")
        .map(|f| {
            (
                f["lock"]["table"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        sev,
        [
            ("small".to_string(), "info".to_string()),
            ("big".into(), "warning".into())
        ]
    );
    // The small table's lock is held while the big index builds: both count.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "several-strong-locks")
    );
    // Only the pending file was analysed.
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn trace_from_the_command_line_compares_claims_with_pg_locks() {
    let db = TestDb::new("lint_trace_cli");
    let m = Migrations::new(&[
        (
            "V1__tables.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, note varchar(10)); CREATE TABLE accounts (id bigint PRIMARY KEY);",
        ),
        (
            "V2__risky.sql",
            "CREATE INDEX orders_account ON orders (account_id);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id);\nALTER TABLE orders ALTER COLUMN note TYPE varchar(20);\n",
        ),
    ]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg(), "--target", "1"])
        .run()
        .code(0);
    let s = sandbox();
    let v: serde_json::Value = Neonops::new()
        .db(&db)
        .env("NEONOPS_SANDBOX_DIR", &s.dir)
        .args(["--json", "lint", "--trace", "--dir", &m.arg()])
        .run()
        .json();
    let traced = v["trace"]["statements"].as_array().unwrap();
    assert_eq!(traced.len(), 3, "{v:#}");
    assert!(traced.iter().all(|t| t["agrees"] == true), "{v:#}");
    assert_eq!(traced[0]["observed"][0]["mode"], "SHARE");
    // Never the configured database, unless told.
    Neonops::new()
        .db(&db)
        .args([
            "lint",
            "--trace",
            "--trace-url",
            &db.direct_url(),
            "--dir",
            &m.arg(),
        ])
        .run()
        .code(2)
        .stderr_has("names the configured database");
}

/// The database's own functions decide whether a default is volatile: the
/// analysis asks about the ones it needs, by name (and about no table the
/// run creates itself).
#[test]
fn the_databases_own_functions_decide_a_defaults_volatility() {
    let db = TestDb::new("lint_functions");
    db.exec(
        "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 10);
         CREATE FUNCTION gen_code() RETURNS text LANGUAGE sql VOLATILE AS 'SELECT 1::text';
         CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT 1::text';",
    );
    let files = [LintFile {
        name: "V2__codes.sql".into(),
        sql: "ALTER TABLE t ADD COLUMN a text DEFAULT gen_code();
              ALTER TABLE t ADD COLUMN b text DEFAULT fixed_code();
              CREATE TABLE fresh (id int, c text DEFAULT gen_code());",
        no_transaction: false,
    }];
    let wanted = lint::wanted(&files);
    assert_eq!(wanted.tables, vec!["t".to_string()]);
    assert_eq!(
        wanted.functions,
        vec!["fixed_code".to_string(), "gen_code".to_string()]
    );
    let s = sandbox();
    let a = block_on(async {
        let c = s.connect(&db.direct_url()).await.expect("connect");
        lint::analyze_with_database(&c, &files, &lint::Settings::default())
            .await
            .expect("analysis")
    });
    let volatile: Vec<usize> = a
        .findings
        .iter()
        .filter(|f| f.rule == "add-column-volatile-default")
        .map(|f| f.line)
        .collect();
    assert_eq!(volatile, vec![1], "{:?}", a.findings);
    // The immutable one is known from the database: nothing to say of it.
    assert!(a.findings.iter().all(|f| f.line != 2), "{:?}", a.findings);
}
