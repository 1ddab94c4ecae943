//! `diff` and `drift` on schemas nobody here wrote: objects owned by
//! another role, schemas the differ has no USAGE on, a role that may only
//! log in, and names made to break SQL built as text.

use serde_json::Value;

use crate::harness::{Migrations, Neonops, Run, TestDb, block_on, psql, sandbox};

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

/// Names made to break SQL built as text (dots, doubled quotes, spaces,
/// capitals, non-ASCII, reserved words, 63 bytes), on every kind the plan
/// touches; the role is made by the test.
const HOSTILE_A: &str = r#"
CREATE SCHEMA "Sch.ema ""q""";
CREATE TYPE "Sch.ema ""q"""."Mood ""x"", y" AS ENUM ('sad', 'it''s ok');
CREATE DOMAIN "Sch.ema ""q"""."pos.int" AS integer CHECK (VALUE > 0);
CREATE TABLE "Sch.ema ""q"""."Tab.le ""one""" (
  "Id" int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "col.dot" text NOT NULL DEFAULT 'a.b',
  "select" int,
  "é ü" text,
  "m" "Sch.ema ""q"""."Mood ""x"", y",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" int,
  CONSTRAINT "chk ""a"".b" CHECK ("select" > 0)
);
CREATE INDEX "idx.one ""a""" ON "Sch.ema ""q"""."Tab.le ""one""" ("col.dot");
CREATE TABLE public."user" ("ID" serial PRIMARY KEY, "Ref" int REFERENCES "Sch.ema ""q"""."Tab.le ""one""" ("Id"));
CREATE VIEW "Sch.ema ""q"""."v.iew ""1""" AS SELECT "Id", "col.dot" FROM "Sch.ema ""q"""."Tab.le ""one""";
CREATE TABLE "ÄÖÜ_表" ("名前" text);
CREATE TABLE "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc63" (id int PRIMARY KEY, "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd63" int);
GRANT SELECT ON "Sch.ema ""q"""."Tab.le ""one""" TO "Role.with ""quote""";
GRANT USAGE ON SCHEMA "Sch.ema ""q""" TO "Role.with ""quote""";
COMMENT ON TABLE "Sch.ema ""q"""."Tab.le ""one""" IS 'it''s a "table"';
CREATE FUNCTION "Sch.ema ""q"""."f.n ""x"""("a b" int) RETURNS int LANGUAGE sql AS 'SELECT 1';
"#;

/// HOSTILE_A changed in place: a label added, a check and a default
/// changed, columns retyped and added, an index changed and one added.
const HOSTILE_B: &str = r#"
CREATE SCHEMA "Sch.ema ""q""";
CREATE TYPE "Sch.ema ""q"""."Mood ""x"", y" AS ENUM ('sad', 'it''s ok', 'new "v", w');
CREATE DOMAIN "Sch.ema ""q"""."pos.int" AS integer CHECK (VALUE > 1);
CREATE TABLE "Sch.ema ""q"""."Tab.le ""one""" (
  "Id" int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "col.dot" text NOT NULL DEFAULT 'a.b.c',
  "select" bigint,
  "é ü" text NOT NULL DEFAULT '',
  "m" "Sch.ema ""q"""."Mood ""x"", y",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" bigint,
  "new ""col""" "Sch.ema ""q"""."pos.int",
  CONSTRAINT "chk ""a"".b" CHECK ("select" > 1)
);
CREATE INDEX "idx.one ""a""" ON "Sch.ema ""q"""."Tab.le ""one""" ("col.dot", "select");
CREATE UNIQUE INDEX "idx.two" ON "Sch.ema ""q"""."Tab.le ""one""" ("é ü");
CREATE TABLE public."user" ("ID" serial PRIMARY KEY, "Ref" int REFERENCES "Sch.ema ""q"""."Tab.le ""one""" ("Id") ON DELETE CASCADE);
CREATE VIEW "Sch.ema ""q"""."v.iew ""1""" AS SELECT "Id", "col.dot", "select" FROM "Sch.ema ""q"""."Tab.le ""one""";
CREATE TABLE "ÄÖÜ_表" ("名前" text, "値" int);
CREATE TABLE "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc63" (id bigint PRIMARY KEY, "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd63" bigint NOT NULL DEFAULT 0);
GRANT SELECT, INSERT ON "Sch.ema ""q"""."Tab.le ""one""" TO "Role.with ""quote""";
GRANT USAGE ON SCHEMA "Sch.ema ""q""" TO "Role.with ""quote""";
COMMENT ON TABLE "Sch.ema ""q"""."Tab.le ""one""" IS 'it''s a "table", changed';
CREATE FUNCTION "Sch.ema ""q"""."f.n ""x"""("a b" int) RETURNS int LANGUAGE sql AS 'SELECT 2';
"#;

/// HOSTILE_A where the plan must rebuild: an enum's labels reordered, a
/// domain over another base type; with a composite type, an inheritance,
/// a unique constraint, and long non-ASCII names.
const HOSTILE_C: &str = r#"
CREATE SCHEMA "Sch.ema ""q""";
CREATE TYPE "Sch.ema ""q"""."Mood ""x"", y" AS ENUM ('it''s ok', 'sad');
CREATE DOMAIN "Sch.ema ""q"""."pos.int" AS bigint CHECK (VALUE > 0);
CREATE TABLE "Sch.ema ""q"""."Tab.le ""one""" (
  "Id" int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "col.dot" text NOT NULL DEFAULT 'a.b',
  "select" int,
  "é ü" text,
  "m" "Sch.ema ""q"""."Mood ""x"", y",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" int,
  CONSTRAINT "chk ""a"".b" CHECK ("select" > 0)
);
CREATE INDEX "idx.one ""a""" ON "Sch.ema ""q"""."Tab.le ""one""" ("col.dot");
CREATE TABLE public."user" ("ID" serial PRIMARY KEY, "Ref" int REFERENCES "Sch.ema ""q"""."Tab.le ""one""" ("Id"));
CREATE VIEW "Sch.ema ""q"""."v.iew ""1""" AS SELECT "Id", "col.dot" FROM "Sch.ema ""q"""."Tab.le ""one""";
CREATE TABLE "ÄÖÜ_表" ("名前" text);
CREATE TABLE "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc63" (id int PRIMARY KEY, "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd63" int);
GRANT SELECT ON "Sch.ema ""q"""."Tab.le ""one""" TO "Role.with ""quote""";
GRANT USAGE ON SCHEMA "Sch.ema ""q""" TO "Role.with ""quote""";
COMMENT ON TABLE "Sch.ema ""q"""."Tab.le ""one""" IS 'it''s a "table"';
CREATE FUNCTION "Sch.ema ""q"""."f.n ""x"""("a b" int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TYPE "Sch.ema ""q"""."pa""ir" AS ("le""ft" int, "right, side" text);
CREATE TABLE "Sch.ema ""q"""."p, q" ("Base" int);
CREATE TABLE "Sch.ema ""q"""."chi.ld" ("Own" int) INHERITS ("Sch.ema ""q"""."p, q");
ALTER TABLE public."user" ADD CONSTRAINT "uniq ""Ref""" UNIQUE ("Ref");
CREATE TABLE "Ünïcödé_ταβλε_with_a_name_that_is_long_enough_to_cut_δδδδ" ("ключ" int NOT NULL, "ζ" int);
CREATE INDEX "ιndex_ünïcödé_with_a_name_that_is_long_enough_to_cut_δδδδ" ON "Ünïcödé_ταβλε_with_a_name_that_is_long_enough_to_cut_δδδδ" ("ключ");
"#;

/// HOSTILE_C with an index changed and a column made NOT NULL on the long
/// non-ASCII table (online forms whose generated names are cut), and a
/// second parent with a comma in its name.
const HOSTILE_D: &str = r#"
CREATE SCHEMA "Sch.ema ""q""";
CREATE TYPE "Sch.ema ""q"""."Mood ""x"", y" AS ENUM ('it''s ok', 'sad');
CREATE DOMAIN "Sch.ema ""q"""."pos.int" AS bigint CHECK (VALUE > 0);
CREATE TABLE "Sch.ema ""q"""."Tab.le ""one""" (
  "Id" int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "col.dot" text NOT NULL DEFAULT 'a.b',
  "select" int,
  "é ü" text,
  "m" "Sch.ema ""q"""."Mood ""x"", y",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" int,
  CONSTRAINT "chk ""a"".b" CHECK ("select" > 0)
);
CREATE INDEX "idx.one ""a""" ON "Sch.ema ""q"""."Tab.le ""one""" ("col.dot");
CREATE TABLE public."user" ("ID" serial PRIMARY KEY, "Ref" int REFERENCES "Sch.ema ""q"""."Tab.le ""one""" ("Id"));
CREATE VIEW "Sch.ema ""q"""."v.iew ""1""" AS SELECT "Id", "col.dot" FROM "Sch.ema ""q"""."Tab.le ""one""";
CREATE TABLE "ÄÖÜ_表" ("名前" text);
CREATE TABLE "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc63" (id int PRIMARY KEY, "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd63" int);
GRANT SELECT ON "Sch.ema ""q"""."Tab.le ""one""" TO "Role.with ""quote""";
GRANT USAGE ON SCHEMA "Sch.ema ""q""" TO "Role.with ""quote""";
COMMENT ON TABLE "Sch.ema ""q"""."Tab.le ""one""" IS 'it''s a "table"';
CREATE FUNCTION "Sch.ema ""q"""."f.n ""x"""("a b" int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TYPE "Sch.ema ""q"""."pa""ir" AS ("le""ft" int, "right, side" text);
CREATE TABLE "Sch.ema ""q"""."p, q" ("Base" int);
CREATE TABLE "Sch.ema ""q"""."chi.ld" ("Own" int) INHERITS ("Sch.ema ""q"""."p, q");
ALTER TABLE public."user" ADD CONSTRAINT "uniq ""Ref""" UNIQUE ("Ref");
CREATE TABLE "Ünïcödé_ταβλε_with_a_name_that_is_long_enough_to_cut_δδδδ" ("ключ" int NOT NULL, "ζ" int NOT NULL);
CREATE INDEX "ιndex_ünïcödé_with_a_name_that_is_long_enough_to_cut_δδδδ" ON "Ünïcödé_ταβλε_with_a_name_that_is_long_enough_to_cut_δδδδ" ("ключ", "ζ");
CREATE TABLE "Sch.ema ""q"""."o, p" ();
ALTER TABLE "Sch.ema ""q"""."chi.ld" INHERIT "Sch.ema ""q"""."o, p";
"#;

/// `first` to `second` on fresh databases: the plan runs in psql, a
/// second diff finds nothing.
fn converges(tag: &str, first: &str, second: &str) {
    let (a, b) = (
        TestDb::new(&format!("{tag}_from")),
        TestDb::new(&format!("{tag}_to")),
    );
    as_admin(&a, first);
    as_admin(&b, second);
    let plan = diff(&admin_url(&a), &admin_url(&b), &[]);
    plan.code(0);
    if let Err(e) = psql(&admin_url(&a), &plan.stdout) {
        panic!("{tag}: the plan fails: {e}\n{}", plan.stdout);
    }
    let again = diff(&admin_url(&a), &admin_url(&b), &["--exit-code"]);
    assert_eq!(again.code, 0, "{tag}: not converged:\n{}", again.stdout);
}

#[test]
fn hostile_names_diff_and_converge_both_ways() {
    let a = TestDb::new("hostile_role");
    as_admin(
        &a,
        r#"DO $$ BEGIN CREATE ROLE "Role.with ""quote"""; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"#,
    );
    for (tag, first, second) in [
        ("hn_0a", "", HOSTILE_A),
        ("hn_a0", HOSTILE_A, ""),
        ("hn_ab", HOSTILE_A, HOSTILE_B),
        ("hn_ba", HOSTILE_B, HOSTILE_A),
        ("hn_ac", HOSTILE_A, HOSTILE_C),
        ("hn_ca", HOSTILE_C, HOSTILE_A),
        ("hn_cd", HOSTILE_C, HOSTILE_D),
        ("hn_dc", HOSTILE_D, HOSTILE_C),
    ] {
        converges(tag, first, second);
    }
}

#[test]
fn drift_on_migrations_that_create_hostile_names_finds_none_then_names_one() {
    let db = TestDb::new("hostile_drift");
    as_admin(
        &db,
        r#"DO $$ BEGIN CREATE ROLE "Role.with ""quote"""; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"#,
    );
    let m = Migrations::new(&[
        ("V1__hostile.sql", HOSTILE_A),
        (
            "V2__more.sql",
            r#"ALTER TABLE "Sch.ema ""q"""."Tab.le ""one""" ADD COLUMN "Ünï ""2""" text;
CREATE INDEX "idx ""3""" ON "Sch.ema ""q"""."Tab.le ""one""" ("Ünï ""2""");"#,
        ),
    ]);
    let run = |args: &[&str]| {
        Neonops::new()
            .db(&db)
            .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
            .args(args)
            .args(["--dir".to_string(), m.arg()])
            .run()
    };
    run(&["migrate"]).code(0);
    run(&["drift"])
        .code(0)
        .stdout_has("no drift")
        .stdout_has("2 applied migration(s)");
    db.exec(r#"COMMENT ON COLUMN "Sch.ema ""q"""."Tab.le ""one"""."Ünï ""2""" IS 'by hand'"#);
    let j: Value = run(&["--json", "drift"]).code(1).json();
    let names: Vec<&str> = j["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [r#"table column "Sch.ema ""q"""."Tab.le ""one"""."Ünï ""2""""#],
        "{j}"
    );
}

/// xml2 is not relocatable (PostgreSQL refuses `SET SCHEMA` on it):
/// dropped and created in its new schema, with a hazard; citext moves.
#[test]
fn an_extension_that_cannot_move_is_made_again_in_its_new_schema() {
    let moved = r#"CREATE SCHEMA "Ex t"; CREATE EXTENSION xml2 SCHEMA "Ex t"; CREATE EXTENSION citext SCHEMA "Ex t";"#;
    let home = "CREATE EXTENSION xml2; CREATE EXTENSION citext;";
    let (a, b) = (TestDb::new("ext_home"), TestDb::new("ext_moved"));
    as_admin(&a, home);
    as_admin(&b, moved);
    diff(&admin_url(&a), &admin_url(&b), &[])
        .code(0)
        .stdout_has("DROP EXTENSION xml2;")
        .stdout_has(r#"CREATE EXTENSION IF NOT EXISTS xml2 WITH SCHEMA "Ex t""#)
        .stdout_has("hazard: extension xml2 cannot change schema (it is not relocatable)")
        .stdout_has(r#"ALTER EXTENSION citext SET SCHEMA "Ex t";"#);
    converges("ext_there", home, moved);
    converges("ext_back", moved, home);
}

/// A server's error keeps its SQLSTATE through diff and drift, in the one
/// place `--json` errors carry it.
#[test]
fn the_sqlstate_of_a_refused_statement_reaches_the_json_error_of_diff_and_drift() {
    let db = TestDb::new("sqlstate_kept");
    // Made by hand before the migrations: a fresh database lacks it.
    db.exec("CREATE TABLE made_by_hand (id int PRIMARY KEY)");
    let m = Migrations::new(&[(
        "V1__uses_it.sql",
        "CREATE TABLE uses_it (id int REFERENCES made_by_hand (id));",
    )]);
    let run = |args: &[&str]| {
        Neonops::new()
            .db(&db)
            .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
            .args(args)
            .args(["--dir".to_string(), m.arg()])
            .run()
    };
    run(&["migrate"]).code(0);
    for args in [
        &["--json", "drift"][..],
        &["--json", "diff", "--from", "live", "--to", "migrations"][..],
    ] {
        let r = run(args);
        let j: Value = r.code(2).json();
        assert_eq!(j["error"]["sqlstate"], "42P01", "{args:?}: {j}");
        let message = j["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("V1__uses_it.sql does not apply on a fresh database: relation \"made_by_hand\" does not exist"),
            "{message}"
        );
    }
}
