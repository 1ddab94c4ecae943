//! The safety analysis where users meet it: `migrate --plan` (each pending
//! statement's lock and how long it is held), `migrate` (findings before
//! applying; a protected environment refuses them), `validate` and doctor.

use serde_json::Value;

use crate::harness::{Migrations, Neonops, Run, TestDb};
use crate::json::{Claim, LintFinding, MigrateReport, StatusReport};

const ORDERS: &str = "CREATE TABLE orders (id bigint PRIMARY KEY, status text);";
const STATUS: &str = "ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();
CREATE INDEX orders_status ON orders (status);
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
";

/// V1 applied, 20,000 rows analysed: big enough for warnings.
fn orders_with_rows(db: &TestDb, m: &Migrations) {
    Neonops::new()
        .db(db)
        .args(["migrate", "--dir", &m.arg(), "--target", "1"])
        .run()
        .code(0);
    db.exec("INSERT INTO orders SELECT g, 'new' FROM generate_series(1, 20000) g; ANALYZE orders;");
}

fn rules(findings: &[LintFinding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{}:{}", f.severity, f.rule))
        .collect()
}

fn rules_of(v: &Value) -> Vec<String> {
    let findings: Vec<LintFinding> = serde_json::from_value(v["findings"].clone()).unwrap();
    rules(&findings)
}

fn index_exists(db: &TestDb, name: &str) -> bool {
    db.column(&format!(
        "SELECT count(*) FROM pg_class WHERE relname = '{name}'"
    ))[0]
        == "1"
}

#[test]
fn the_plan_shows_each_pending_statement_with_its_lock_and_the_safe_way() {
    let db = TestDb::new("rev_plan");
    let m = Migrations::new(&[("V1__orders.sql", ORDERS), ("V2__status.sql", STATUS)]);
    orders_with_rows(&db, &m);
    let plan = || {
        Neonops::new()
            .db(&db)
            .args(["migrate", "--dir", &m.arg(), "--plan"])
    };
    plan()
        .run()
        .code(0)
        .stdout_has("-- would apply V2__status")
        // Each statement: its lock, what it blocks, how long.
        .stdout_has("ACCESS EXCLUSIVE on orders")
        .stdout_has("briefly (catalog change")
        .stdout_has("SHARE on orders")
        .stdout_has("for the index build, then")
        .stdout_has("for a scan of every row")
        // The findings, graded by the live size, with the safe SQL.
        .stdout_has("warning  ")
        .stdout_has("V2__status.sql:2:1  index-without-concurrently")
        .stdout_has("~20,000 rows")
        .stdout_has("CREATE INDEX CONCURRENTLY orders_status ON orders USING btree (status);")
        .stdout_has("V2__status.sql:3:1  set-not-null-without-check")
        .stdout_has("CHECK (status IS NOT NULL) NOT VALID")
        .stdout_has("each statement waits at most 5s for its lock")
        .stdout_has("safety analysis: 0 error(s), 2 warning(s)")
        // neonops sets lock_timeout itself: never a finding.
        .lacks("lock_timeout =")
        .lacks("ADD COLUMN created_at timestamptz DEFAULT now()  add-column");
    let v: MigrateReport = Neonops::new()
        .db(&db)
        .args(["--json", "migrate", "--dir", &m.arg(), "--plan"])
        .run()
        .json();
    let statements = &v.planned[0].statements;
    assert_eq!(statements.len(), 3);
    let claim = |table: &str, mode: &str| Claim {
        table: table.into(),
        mode: mode.into(),
    };
    assert_eq!(statements[1].effect.locks, [claim("orders", "SHARE")]);
    assert_eq!(statements[1].effect.index_builds, ["orders"]);
    assert_eq!(
        statements[2].effect.locks,
        [claim("orders", "ACCESS_EXCLUSIVE")]
    );
    assert_eq!(statements[2].effect.scans, ["orders"]);
    assert_eq!(
        rules(&v.findings),
        [
            "warning:index-without-concurrently",
            "warning:set-not-null-without-check"
        ]
    );
    // The plan changed nothing.
    assert_eq!(db.history(), ["1"]);
    assert!(!index_exists(&db, "orders_status"));
}

#[test]
fn a_table_created_by_a_pending_migration_is_new_and_empty() {
    let db = TestDb::new("rev_fresh");
    let m = Migrations::new(&[
        ("V1__orders.sql", ORDERS),
        (
            "V2__index.sql",
            "CREATE INDEX orders_status ON orders (status);",
        ),
    ]);
    // Both pending: V1 creates the table V2 indexes, so nothing to say.
    let v: MigrateReport = Neonops::new()
        .db(&db)
        .args(["--json", "migrate", "--dir", &m.arg(), "--plan"])
        .run()
        .json();
    assert_eq!(rules(&v.findings), Vec::<String>::new());
    // Offline, V1's table is assumed to exist and may be large.
    let v: Value = Neonops::new()
        .args(["--json", "lint", "--offline", "--dir", &m.arg()])
        .run()
        .json();
    assert_eq!(rules_of(&v), ["error:index-without-concurrently"]);
}

fn protected(db: &TestDb, dir: &tempfile::TempDir, m: &Migrations, extra: &[&str]) -> Run {
    Neonops::new()
        .sandbox()
        .cwd(dir.path())
        .env("PROD_URL", db.pooled_url())
        .args(["--env", "prod", "--yes", "migrate", "--dir", &m.arg()])
        .args(extra)
        .run()
}

#[test]
fn a_protected_environment_refuses_what_the_analysis_fails_and_applies_nothing() {
    let db = TestDb::new("rev_protected");
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("neonops.toml");
    let env = "[environments.prod]\ndatabase_url_var = \"PROD_URL\"\nprotected = true\n";
    std::fs::write(&toml, env).unwrap();
    let m = Migrations::new(&[("V1__orders.sql", ORDERS)]);
    protected(&db, &dir, &m, &[]).code(0);
    db.exec("INSERT INTO orders SELECT g, 'new' FROM generate_series(1, 20000) g; ANALYZE orders;");

    // The default fail_on (error): a warning is shown, then applied.
    m.write(
        "V2__index.sql",
        "CREATE INDEX orders_status ON orders (status);",
    );
    protected(&db, &dir, &m, &[])
        .code(0)
        .stderr_has("safety analysis: 0 error(s), 1 warning(s)")
        .stderr_has("index-without-concurrently")
        .stdout_has("applied  V2__index");
    assert_eq!(db.history(), ["1", "2"]);

    // An error: refused under the migration lock, nothing applied.
    m.write("V3__unlock.sql", "SELECT pg_advisory_unlock_all();");
    let r = protected(&db, &dir, &m, &[]);
    r.code(1)
        .stderr_has("environment \"prod\" is protected")
        .stderr_has("V3__unlock.sql:1:1 releases-migration-lock")
        .stderr_has("nothing was applied")
        .stderr_has("pg_advisory_unlock(key)");
    assert_eq!(db.history(), ["1", "2"]);
    let v: MigrateReport = Neonops::new()
        .sandbox()
        .cwd(dir.path())
        .env("PROD_URL", db.pooled_url())
        .args([
            "--json",
            "--env",
            "prod",
            "--yes",
            "migrate",
            "--dir",
            &m.arg(),
        ])
        .run()
        .json();
    assert!(!v.ok);
    assert!(v.refused);
    assert!(v.applied.is_empty());
    assert_eq!(rules(&v.findings), ["error:releases-migration-lock"]);
    // A safe file in its place applies.
    m.write(
        "V3__unlock.sql",
        "-- neonops:no-transaction\nCREATE INDEX CONCURRENTLY orders_id ON orders (id);",
    );
    protected(&db, &dir, &m, &[]).code(0);
    assert!(index_exists(&db, "orders_id"));

    // fail_on = "warning": a warning is refused too ...
    std::fs::write(&toml, format!("{env}[lint]\nfail_on = \"warning\"\n")).unwrap();
    m.write(
        "V4__not_null.sql",
        "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;",
    );
    protected(&db, &dir, &m, &[])
        .code(1)
        .stderr_has("at warning or above")
        .stderr_has("set-not-null-without-check");
    assert_eq!(db.history(), ["1", "2", "3"]);
    // ... unless --allow-risky,
    protected(&db, &dir, &m, &["--allow-risky"]).code(0);
    assert_eq!(db.history(), ["1", "2", "3", "4"]);
    // or an allow comment with its reason next to the statement.
    m.write(
        "V5__rename.sql",
        "-- neonops:allow rename-column: the application reads neither name yet\nALTER TABLE orders RENAME COLUMN status TO state;",
    );
    protected(&db, &dir, &m, &[])
        .code(0)
        .stderr_has("warning (allowed)  ")
        .stderr_has("allowed: the application reads neither name yet");
    assert_eq!(db.history(), ["1", "2", "3", "4", "5"]);
    // Without a reason, the comment allows nothing (and says so).
    m.write(
        "V6__drop.sql",
        "-- neonops:allow drop-column\nALTER TABLE orders DROP COLUMN state;",
    );
    protected(&db, &dir, &m, &[])
        .code(1)
        .stderr_has("allow-without-reason")
        .stderr_has("drop-column");
    assert_eq!(db.history(), ["1", "2", "3", "4", "5"]);
}

#[test]
fn validate_fails_on_findings_and_migrate_shows_them_before_applying() {
    let db = TestDb::new("rev_validate");
    let m = Migrations::new(&[("V1__orders.sql", ORDERS)]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0);
    m.write(
        "V2__check.sql",
        "ALTER TABLE orders ADD CONSTRAINT status_known CHECK (status IN ('new', 'paid'));",
    );
    let validate = |extra: &[&str]| {
        Neonops::new()
            .db(&db)
            .args(extra)
            .args(["validate", "--dir", &m.arg()])
    };
    // An empty table: information only, valid.
    validate(&[])
        .run()
        .code(0)
        .stdout_has("info  ")
        .stdout_has("check-without-not-valid")
        .stdout_has("valid: 2 file(s) agree");
    // With fail_on = info in the file, it fails (exit 1), annotated for GitHub.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[lint]\nfail_on = \"info\"\n",
    )
    .unwrap();
    validate(&[])
        .cwd(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .run()
        .code(1)
        .stdout_has("not safe: 2 file(s) agree")
        .stderr_has("V2__check.sql,line=1,col=1,title=neonops::");
    let r = validate(&["--json"]).cwd(dir.path()).run();
    r.code(1);
    let v: StatusReport = r.json();
    assert!(!v.ok);
    assert_eq!(
        rules(v.findings.as_deref().unwrap()),
        ["info:check-without-not-valid"]
    );
    // migrate shows the finding on stderr, then applies.
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0)
        .stderr_has("safety analysis: 0 error(s), 0 warning(s), 1 info")
        .stderr_has("CHECK (status IN ('new', 'paid')) NOT VALID")
        .stdout_has("applied  V2__check");
    // Nothing pending: nothing analysed, nothing said.
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0)
        .lacks("safety analysis");
}

#[test]
fn doctor_reports_the_safety_of_pending_migrations() {
    let db = TestDb::new("rev_doctor");
    let m = Migrations::new(&[("V1__orders.sql", ORDERS)]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0);
    m.write(
        "V2__concurrently.sql",
        "CREATE INDEX CONCURRENTLY orders_status ON orders (status);",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!("[migrations]\ndir = \"{}\"\n", m.arg()),
    )
    .unwrap();
    let r = Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["--json", "doctor"])
        .run();
    r.code(1);
    let v: Value = r.json();
    let safety = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "migration safety")
        .expect("a migration safety finding");
    assert_eq!(safety["status"], "fail");
    assert!(
        safety["detail"].as_str().unwrap().contains("error ")
            && safety["detail"]
                .as_str()
                .unwrap()
                .contains("needs-no-transaction"),
        "{safety}"
    );
}
