//! `diff` and `drift` on schemas nobody here wrote: objects owned by
//! another role, schemas the differ has no USAGE on, a role that may only
//! log in, and names made to break SQL built as text.

use serde_json::Value;

use crate::harness::{Neonops, Run, TestDb, block_on, psql, sandbox};

const READER: &str = "others_reader";
const READER_PW: &str = "others-reader-pw";

fn admin_url(db: &TestDb) -> String {
    let s = sandbox();
    s.url_with(&s.direct_host, &s.admin_role, &db.name)
}

fn reader_url(db: &TestDb) -> String {
    let s = sandbox();
    s.url_with(&s.direct_host, &format!("{READER}:{READER_PW}"), &db.name)
}

fn as_admin(db: &TestDb, sql: &str) {
    if let Err(e) = psql(&admin_url(db), sql) {
        panic!("{e}\n--- script:\n{sql}");
    }
}

/// The first column of a query, as the admin.
fn admin_column(db: &TestDb, sql: &str) -> Vec<String> {
    let (name, sql) = (db.name.clone(), sql.to_string());
    std::thread::scope(|t| {
        t.spawn(move || {
            block_on(async {
                let c = sandbox().connect_admin(&name).await.expect("admin");
                c.query(&sql, &[])
                    .await
                    .expect(&sql)
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .collect()
            })
        })
        .join()
        .unwrap()
    })
}

fn diff(from: &str, to: &str, extra: &[&str]) -> Run {
    Neonops::new()
        .sandbox()
        .args(["diff", "--from", from, "--to", to])
        .args(extra)
        .run()
}

/// The plan without its header's two URLs.
fn body(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|l| !l.starts_with("-- from:") && !l.starts_with("-- to:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The schema both sides start from: a schema of its own owned by another
/// role, no USAGE on it for anyone else, a table with rows, an index, a
/// view, a function and a sequence; `public` closed too.
const OWNED: &str = r#"
DO $$ BEGIN CREATE ROLE others_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA ledger AUTHORIZATION others_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SET ROLE others_owner;
CREATE TABLE ledger.accounts (id int PRIMARY KEY, n int NOT NULL, note text);
INSERT INTO ledger.accounts SELECT g, g, 'x' FROM generate_series(1, 20000) g;
ANALYZE ledger.accounts;
CREATE INDEX accounts_note ON ledger.accounts (note);
CREATE VIEW ledger.totals AS SELECT count(*) AS n FROM ledger.accounts;
CREATE FUNCTION ledger.next_n(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE SEQUENCE ledger.ids;
RESET ROLE;
"#;

/// What the second side changes: a type that rewrites the table (a
/// hazard the lint finds from the table's size), a table, a column.
const CHANGED: &str = r#"
SET ROLE others_owner;
ALTER TABLE ledger.accounts ALTER COLUMN n TYPE bigint;
ALTER TABLE ledger.accounts ADD COLUMN closed boolean;
CREATE TABLE ledger.entries (id int PRIMARY KEY, account int REFERENCES ledger.accounts (id));
RESET ROLE;
"#;

#[test]
fn a_role_that_owns_nothing_diffs_as_the_owner_does_and_a_review_it_cannot_run_is_a_note() {
    let (a, b) = (TestDb::new("others_from"), TestDb::new("others_to"));
    as_admin(
        &a,
        &format!(
            "DO $$ BEGIN CREATE ROLE {READER} LOGIN PASSWORD '{READER_PW}'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
        ),
    );
    as_admin(&a, OWNED);
    as_admin(&b, &format!("{OWNED}{CHANGED}"));
    // The reader may not even look inside the schema.
    let peek = psql(&reader_url(&a), "SELECT count(*) FROM ledger.accounts;").unwrap_err();
    assert!(
        peek.contains("permission denied for schema ledger"),
        "{peek}"
    );

    let owner = diff(&admin_url(&a), &admin_url(&b), &[]);
    let reader = diff(&reader_url(&a), &reader_url(&b), &[]);
    owner.code(0);
    reader.code(0).stdout_has("CREATE TABLE ledger.entries (");
    assert_eq!(body(&reader.stdout), body(&owner.stdout));
    // The review read the table's size as the reader: its hazard is there.
    reader.stdout_has("accounts (~20,000 rows");
    assert!(!reader.stdout.contains("-- note:"), "{}", reader.stdout);

    // An enrichment that cannot run is a note on the plan, not a failure.
    as_admin(
        &a,
        "REVOKE EXECUTE ON FUNCTION pg_total_relation_size(regclass) FROM PUBLIC;",
    );
    let noted = diff(&reader_url(&a), &reader_url(&b), &[]);
    noted
        .code(0)
        .stdout_has("-- note: the lint reviewed the plan without the database's table sizes")
        .stdout_has("permission denied for function pg_total_relation_size")
        .stdout_has("(SQLSTATE 42501)")
        .stdout_has("CREATE TABLE ledger.entries (");
    let j: Value = diff(&reader_url(&a), &reader_url(&b), &["--json"])
        .code(0)
        .json();
    let notes = j["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].as_str().unwrap().contains("42501"), "{notes:?}");

    // The reader's plan, run by the owner's side, converges.
    as_admin(&a, &reader.stdout);
    diff(&reader_url(&a), &reader_url(&b), &["--exit-code"]).code(0);
    assert_eq!(
        admin_column(&a, "SELECT count(*)::text FROM ledger.accounts"),
        ["20000"]
    );
}
