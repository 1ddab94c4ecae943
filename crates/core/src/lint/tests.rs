//! Each rule with positive and negative cases, offline (a table from an
//! earlier file exists and may be large) unless the case says otherwise.

use super::*;

fn lint_with(files: &[(&str, bool)], ctx: &mut Context) -> Analysis {
    let files: Vec<LintFile> = files
        .iter()
        .enumerate()
        .map(|(i, (sql, no_tx))| LintFile {
            name: format!("V{}__f.sql", i + 1),
            sql,
            no_transaction: *no_tx,
        })
        .collect();
    analyze(&files, ctx, &Settings::default())
}

fn rules_of(sql: &str) -> Vec<&'static str> {
    let a = lint_with(&[(sql, false)], &mut Context::offline(15));
    assert!(a.parse_errors.is_empty(), "{:?}", a.parse_errors);
    a.findings.iter().map(|f| f.rule.id()).collect()
}

#[test]
fn every_rule_fires_and_its_safe_form_does_not() {
    let cases: &[(&str, &[&str])] = &[
        ("CREATE INDEX i ON t (a);", &["index-without-concurrently"]),
        ("CREATE TABLE t (a int); CREATE INDEX i ON t (a);", &[]),
        ("DROP INDEX i;", &["drop-index-without-concurrently"]),
        ("REINDEX TABLE t;", &["reindex-without-concurrently"]),
        ("REINDEX INDEX i;", &["reindex-without-concurrently"]),
        (
            "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (p) REFERENCES p (id);",
            &["foreign-key-without-not-valid"],
        ),
        (
            "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (p) REFERENCES p (id) NOT VALID;",
            &[],
        ),
        ("ALTER TABLE t VALIDATE CONSTRAINT f;", &[]),
        (
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);",
            &["check-without-not-valid"],
        ),
        (
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
            &[],
        ),
        (
            "ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);",
            &["unique-without-using-index"],
        ),
        ("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i;", &[]),
        (
            "ALTER TABLE t ADD PRIMARY KEY (id);",
            &["primary-key-without-using-index"],
        ),
        (
            "ALTER TABLE t ALTER COLUMN a SET NOT NULL;",
            &["set-not-null-without-check"],
        ),
        (
            "ALTER TABLE t ALTER COLUMN a TYPE bigint;",
            &["column-type-rewrite"],
        ),
        (
            "ALTER TABLE t ADD COLUMN b uuid DEFAULT gen_random_uuid();",
            &["add-column-volatile-default"],
        ),
        ("ALTER TABLE t ADD COLUMN b timestamptz DEFAULT now();", &[]),
        ("ALTER TABLE t ADD COLUMN b int DEFAULT 0 NOT NULL;", &[]),
        ("ALTER TABLE t ADD COLUMN b text;", &[]),
        (
            "ALTER TABLE t ADD COLUMN b int UNIQUE;",
            &["unique-without-using-index"],
        ),
        (
            "ALTER TABLE t ADD COLUMN b int PRIMARY KEY;",
            &["primary-key-without-using-index"],
        ),
        (
            "ALTER TABLE t ADD COLUMN b int CHECK (b > 0);",
            &["check-without-not-valid"],
        ),
        (
            "ALTER TABLE t ADD COLUMN id2 bigserial;",
            &["add-column-serial"],
        ),
        (
            "ALTER TABLE t ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;",
            &["add-column-serial"],
        ),
        (
            "ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED;",
            &["add-column-generated-stored"],
        ),
        ("ALTER TABLE t RENAME COLUMN a TO b;", &["rename-column"]),
        ("ALTER TABLE t RENAME TO u;", &["rename-table"]),
        ("ALTER TABLE t DROP COLUMN a;", &["drop-column"]),
        ("DROP TABLE t;", &["drop-table"]),
        ("VACUUM FULL t;", &["vacuum-full", "needs-no-transaction"]),
        ("CLUSTER t USING i;", &["cluster"]),
        ("LOCK TABLE t;", &["lock-table"]),
        ("LOCK TABLE t IN ACCESS SHARE MODE;", &[]),
        (
            "REFRESH MATERIALIZED VIEW v;",
            &["refresh-matview-without-concurrently"],
        ),
        ("REFRESH MATERIALIZED VIEW CONCURRENTLY v;", &[]),
        (
            "CREATE INDEX CONCURRENTLY i ON t (a);",
            &["needs-no-transaction"],
        ),
        (
            "ALTER TABLE t ADD COLUMN b int; UPDATE t SET b = a;",
            &["backfill-with-ddl"],
        ),
        ("UPDATE t SET b = a WHERE id < 1000;", &[]),
        (
            "ALTER TABLE t ADD COLUMN b int; UPDATE pg_index SET indisready = false WHERE indexrelid = 1;",
            &[],
        ),
        (
            "CREATE TABLE n (a int); INSERT INTO n SELECT 1; UPDATE n SET a = 2;",
            &[],
        ),
        (
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID; UPDATE t SET a = 1 WHERE a < 0;",
            &["backfill-with-ddl"],
        ),
        (
            "CREATE INDEX i ON t (a); CREATE INDEX j ON u (a);",
            &[
                "index-without-concurrently",
                "index-without-concurrently",
                "several-strong-locks",
            ],
        ),
        (
            "COMMENT ON TABLE t IS 'x'; ALTER TABLE t ALTER COLUMN a SET STATISTICS 500;",
            &[],
        ),
        // Views dropped and made again around a change: one table.
        (
            "DROP VIEW v; DROP MATERIALIZED VIEW w; ALTER TABLE t ADD COLUMN b text; CREATE VIEW v AS SELECT * FROM t;",
            &[],
        ),
        // What this file creates is new: renames and drops break nothing.
        (
            "CREATE TABLE n (a int); ALTER TABLE n RENAME COLUMN a TO b; ALTER TABLE n DROP COLUMN b; ALTER TABLE n RENAME TO m; DROP TABLE m;",
            &[],
        ),
        (
            "CREATE TABLE n (a int); CREATE INDEX i ON n (a); DROP INDEX i;",
            &[],
        ),
        ("VACUUM t;", &["needs-no-transaction"]),
        ("ANALYZE t;", &[]),
        ("CREATE TABLE n (a int); CLUSTER n USING i;", &[]),
        ("ALTER TYPE mood ADD VALUE 'sad';", &[]),
        ("SET lock_timeout = 0;", &["disables-timeouts"]),
        ("SET LOCAL lock_timeout = '0ms';", &["disables-timeouts"]),
        ("SET statement_timeout = '0';", &["disables-timeouts"]),
        ("SET Statement_Timeout TO DEFAULT;", &["disables-timeouts"]),
        ("SET lock_timeout = '30s';", &[]),
        ("SET LOCAL statement_timeout = '1h';", &[]),
        ("RESET ALL;", &["disables-timeouts"]),
        ("RESET statement_timeout;", &["disables-timeouts"]),
        ("SET search_path = app; RESET search_path;", &[]),
        (
            "DISCARD ALL;",
            &["releases-migration-lock", "needs-no-transaction"],
        ),
        ("DISCARD TEMP;", &[]),
        (
            "SELECT pg_advisory_unlock_all();",
            &["releases-migration-lock"],
        ),
        ("SELECT pg_advisory_unlock(1);", &[]),
    ];
    for (sql, want) in cases {
        let mut got = rules_of(sql);
        let mut want = want.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{sql}");
    }
}

#[test]
fn concurrent_statements_are_fine_in_a_no_transaction_file() {
    let a = lint_with(
        &[(
            "CREATE INDEX CONCURRENTLY i ON t (a); DROP INDEX CONCURRENTLY j; REINDEX INDEX CONCURRENTLY k; REINDEX TABLE CONCURRENTLY t; VACUUM t; REFRESH MATERIALIZED VIEW CONCURRENTLY v;",
            true,
        )],
        &mut Context::offline(15),
    );
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
}

#[test]
fn a_table_from_an_earlier_file_is_existing_offline_and_new_online() {
    let files = [
        ("CREATE TABLE t (a int);", false),
        ("CREATE INDEX i ON t (a);", false),
    ];
    let a = lint_with(&files, &mut Context::offline(15));
    assert_eq!(a.findings.len(), 1, "{:#?}", a.findings);
    let mut online = Context::offline(15);
    online.online = true; // t does not exist in the database: made by this run
    let a = lint_with(&files, &mut online);
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
}

#[test]
fn sizes_grade_the_severity() {
    let mut ctx = Context::offline(15);
    ctx.online = true;
    for (bytes, rows, want) in [
        (8192, 10, Severity::Info),
        (500 * 1024 * 1024, 5_000_000, Severity::Warning),
        (5 * 1024 * 1024 * 1024, 50_000_000, Severity::Error),
    ] {
        ctx.tables.insert(
            "t".into(),
            context::TableInfo {
                bytes,
                rows: Some(rows),
            },
        );
        let a = lint_with(
            &[("ALTER TABLE t ALTER COLUMN a TYPE bigint;", false)],
            &mut ctx,
        );
        assert_eq!(a.findings[0].severity, want, "{bytes}");
        assert!(a.findings[0].rewrite);
    }
}

#[test]
fn version_dependent_rules() {
    let sql = "ALTER TABLE t ADD COLUMN b int DEFAULT 0;";
    assert!(
        lint_with(&[(sql, false)], &mut Context::offline(10))
            .findings
            .iter()
            .any(|f| f.rule == "add-column-default-before-11")
    );
    assert!(
        lint_with(&[(sql, false)], &mut Context::offline(11))
            .findings
            .is_empty()
    );
    // SET NOT NULL with a validated CHECK: no scan on 12+.
    let mut ctx = Context::offline(15);
    ctx.not_null_checks.insert(("t".into(), "a".into()));
    assert!(
        lint_with(
            &[("ALTER TABLE t ALTER COLUMN a SET NOT NULL;", false)],
            &mut ctx
        )
        .findings
        .is_empty()
    );
    let mut ctx = Context::offline(11);
    ctx.not_null_checks.insert(("t".into(), "a".into()));
    assert_eq!(
        lint_with(
            &[("ALTER TABLE t ALTER COLUMN a SET NOT NULL;", false)],
            &mut ctx
        )
        .findings
        .len(),
        1
    );
}

#[test]
fn add_value_to_an_enum_needs_no_transaction_before_12() {
    let sql = "ALTER TYPE mood ADD VALUE 'sad';";
    let rules = |v| -> Vec<&str> {
        lint_with(&[(sql, false)], &mut Context::offline(v))
            .findings
            .iter()
            .map(|f| f.rule.id())
            .collect()
    };
    assert_eq!(rules(11), ["needs-no-transaction"]);
    assert!(rules(12).is_empty());
    // REINDEX CONCURRENTLY exists from 12: no finding before it.
    assert!(
        lint_with(&[("REINDEX TABLE t;", false)], &mut Context::offline(11))
            .findings
            .is_empty()
    );
}

#[test]
fn unknown_row_counts_grade_by_size() {
    let mut ctx = Context::offline(15);
    ctx.online = true;
    for (bytes, want) in [
        (64 * 1024, Severity::Info),
        (100 * 1024 * 1024, Severity::Warning),
    ] {
        ctx.tables
            .insert("t".into(), context::TableInfo { bytes, rows: None });
        let a = lint_with(&[("CREATE INDEX i ON t (a);", false)], &mut ctx);
        assert_eq!(a.findings[0].severity, want);
        assert!(
            a.findings[0]
                .message
                .contains("rows not yet counted by ANALYZE"),
            "{}",
            a.findings[0].message
        );
    }
}

#[test]
fn set_timezone_utc_makes_timestamptz_binary_compatible_for_the_file() {
    let table = "CREATE TABLE t (ts timestamp);";
    let change = "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz USING ts;";
    let rules = |files: &[(&str, bool)]| -> Vec<&str> {
        lint_with(files, &mut Context::offline(15))
            .findings
            .iter()
            .map(|f| f.rule.id())
            .collect()
    };
    assert_eq!(
        rules(&[(table, false), (change, false)]),
        ["column-type-rewrite"]
    );
    let utc = format!("SET timezone = 'UTC';\n{change}");
    assert_eq!(
        rules(&[(table, false), (&utc, false)]),
        ["column-type-no-rewrite"]
    );
    let utc = format!("SET TIME ZONE 'Etc/UTC';\n{change}");
    assert_eq!(
        rules(&[(table, false), (&utc, false)]),
        ["column-type-no-rewrite"]
    );
    let other = format!("SET timezone = 'Europe/Paris';\n{change}");
    assert_eq!(
        rules(&[(table, false), (&other, false)]),
        ["column-type-rewrite"]
    );
    // Only for the file that says it.
    let utc = "SET timezone = 'UTC';";
    assert_eq!(
        rules(&[(table, false), (utc, false), (change, false)]),
        ["column-type-rewrite"]
    );
}

fn claims_of(files: &[(&str, bool)], k: usize) -> Vec<(String, LockMode)> {
    let a = lint_with(files, &mut Context::offline(15));
    a.statements_analyzed[k]
        .effect
        .locks
        .iter()
        .map(|c| (c.table.clone(), c.mode))
        .collect()
}

#[test]
fn dropping_a_foreign_key_locks_the_table_it_references() {
    let tables = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int REFERENCES p, q_id int, CONSTRAINT named FOREIGN KEY (q_id) REFERENCES p (id));";
    let ae = LockMode::AccessExclusive;
    for (sql, want) in [
        (
            "ALTER TABLE c DROP COLUMN p_id;",
            vec![("c", ae), ("p", ae)],
        ),
        (
            "ALTER TABLE c DROP CONSTRAINT c_p_id_fkey;",
            vec![("c", ae), ("p", ae)],
        ),
        (
            "ALTER TABLE c DROP CONSTRAINT named;",
            vec![("c", ae), ("p", ae)],
        ),
        ("ALTER TABLE c DROP COLUMN id;", vec![("c", ae)]),
        ("DROP TABLE c;", vec![("c", ae), ("p", ae)]),
        ("DROP TRIGGER tr ON public.c;", vec![("c", ae)]),
        // Renamed, the key follows its table and column.
        (
            "ALTER TABLE c RENAME TO d; ALTER TABLE d RENAME COLUMN p_id TO parent; ALTER TABLE d DROP COLUMN parent;",
            vec![("d", ae), ("p", ae)],
        ),
    ] {
        let statements = crate::sql::parse(sql).unwrap().len();
        let got = claims_of(&[(tables, false), (sql, false)], 2 + statements - 1);
        let want: Vec<(String, LockMode)> =
            want.into_iter().map(|(t, m)| (t.to_string(), m)).collect();
        assert_eq!(got, want, "{sql}");
    }
    // An index rename takes SHARE UPDATE EXCLUSIVE (12+).
    assert_eq!(
        claims_of(&[("ALTER INDEX i RENAME TO j;", false)], 0),
        [("i".to_string(), LockMode::ShareUpdateExclusive)]
    );
}

#[test]
fn functions_from_earlier_files_decide_volatility() {
    let add = "ALTER TABLE t ADD COLUMN b text NOT NULL DEFAULT make_id();";
    let rules = |def: &str| -> Vec<(&str, bool)> {
        lint_with(&[(def, false), (add, false)], &mut Context::offline(15))
            .findings
            .iter()
            .map(|f| (f.rule.id(), f.rewrite))
            .collect()
    };
    // Unknown: a warning that says "if".
    assert_eq!(rules("SELECT 1;"), [("add-column-volatile-default", false)]);
    // VOLATILE is the default.
    let volatile =
        "CREATE FUNCTION make_id() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;";
    assert_eq!(rules(volatile), [("add-column-volatile-default", true)]);
    let stable = "CREATE FUNCTION make_id() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'x' $$;";
    assert!(rules(stable).is_empty());
}

#[test]
fn public_is_the_default_schema() {
    let a = lint_with(
        &[(
            "CREATE TABLE t (a int); CREATE INDEX i ON public.t (a); CREATE TRIGGER tr BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION f();",
            false,
        )],
        &mut Context::offline(15),
    );
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
    assert_eq!(a.statements_analyzed[1].effect.locks[0].table, "t");
}

#[test]
fn binary_coercible_type_changes_do_not_rewrite() {
    let mut ctx = Context::offline(15);
    ctx.timezone_utc = true;
    let a = lint_with(
        &[
            (
                "CREATE TABLE t (s varchar(10), n numeric(10,2), ts timestamp, i int);",
                false,
            ),
            (
                "ALTER TABLE t ALTER COLUMN s TYPE varchar(20), ALTER COLUMN n TYPE numeric(12,2), ALTER COLUMN ts TYPE timestamptz;",
                false,
            ),
            ("ALTER TABLE t ALTER COLUMN s TYPE text;", false),
            ("ALTER TABLE t ALTER COLUMN i TYPE bigint;", false),
        ],
        &mut ctx,
    );
    let rules: Vec<_> = a
        .findings
        .iter()
        .map(|f| (f.rule.id(), f.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("column-type-no-rewrite", Severity::Info),
            ("column-type-no-rewrite", Severity::Info),
            ("column-type-no-rewrite", Severity::Info),
            ("column-type-no-rewrite", Severity::Info),
            ("column-type-rewrite", Severity::Error),
        ]
    );
}

#[test]
fn findings_carry_the_lock_and_a_concrete_alternative() {
    let a = lint_with(
        &[(
            "ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);",
            false,
        )],
        &mut Context::offline(15),
    );
    let f = &a.findings[0];
    assert_eq!(f.lock.as_ref().unwrap().mode, LockMode::ShareRowExclusive);
    assert!(
        f.locks
            .iter()
            .any(|c| c.table == "accounts" && c.mode == LockMode::ShareRowExclusive)
    );
    assert!(f.blocks_writes && !f.blocks_reads && f.scan);
    let alt = f.safe_alternative.as_deref().unwrap();
    assert!(alt.contains("ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;"), "{alt}");
    assert!(
        alt.contains("VALIDATE CONSTRAINT orders_account_fk"),
        "{alt}"
    );
    let a = lint_with(
        &[("CREATE UNIQUE INDEX i ON t (a, b) WHERE a > 0;", false)],
        &mut Context::offline(15),
    );
    let alt = a.findings[0].safe_alternative.as_deref().unwrap();
    assert!(
        alt.contains("CREATE UNIQUE INDEX CONCURRENTLY i ON t USING btree (a, b) WHERE a > 0;"),
        "{alt}"
    );
}

#[test]
fn allow_comments_need_a_reason() {
    let a = lint_with(
        &[(
            "-- neonops:allow index-without-concurrently: t has 12 rows\nCREATE INDEX i ON t (a);\n-- neonops:allow index-without-concurrently\nCREATE INDEX j ON t (b);",
            false,
        )],
        &mut Context::offline(15),
    );
    let got: Vec<_> = a
        .findings
        .iter()
        .map(|f| (f.rule.id(), f.allowed.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "index-without-concurrently",
                Some("t has 12 rows".to_string())
            ),
            // In line order: the bare comment (line 3) before its statement.
            ("allow-without-reason", None),
            ("index-without-concurrently", None),
        ]
    );
}

#[test]
fn the_database_is_asked_only_about_what_exists_before_the_run_and_the_functions_called() {
    let sql = [
        "CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz DEFAULT now());
         INSERT INTO t VALUES (1);
         CREATE INDEX t_at ON t (at);",
        "ALTER TABLE orders ADD COLUMN code text DEFAULT gen_code();
         DROP TABLE old; CREATE TABLE old (a int); CREATE INDEX old_a ON old (a);
         ALTER TABLE t RENAME TO u; ALTER TABLE u ADD COLUMN b int;",
    ];
    let files: Vec<LintFile> = sql
        .iter()
        .enumerate()
        .map(|(i, sql)| LintFile {
            name: format!("V{}__f.sql", i + 1),
            sql,
            no_transaction: false,
        })
        .collect();
    let w = wanted(&files);
    // t is created before it is touched (and u is t renamed): nothing to ask;
    // old is dropped before it is made again: asked.
    assert_eq!(w.tables, vec!["old".to_string(), "orders".to_string()]);
    // A default on a new table rewrites nothing: only gen_code's volatility matters.
    assert_eq!(w.functions, vec!["gen_code".to_string()]);
    // A file set that only creates asks about no table.
    let fresh = [LintFile {
        name: "V1__t.sql".into(),
        sql: "CREATE TABLE a (id int); INSERT INTO a VALUES (1);",
        no_transaction: false,
    }];
    assert_eq!(wanted(&fresh), Wanted::default());
}

#[test]
fn a_backfill_is_blamed_on_the_locks_taken_before_it_and_findings_follow_the_lines() {
    let a = lint_with(
        &[(
            "ALTER TABLE users ADD COLUMN x int;\nUPDATE users SET x = 1;\nDROP TABLE legacy;",
            false,
        )],
        &mut Context::offline(15),
    );
    let b = a
        .findings
        .iter()
        .find(|f| f.rule == Rule::BackfillWithDdl)
        .expect("a backfill under the ADD COLUMN's lock");
    assert_eq!(b.lock.as_ref().unwrap().table, "users", "{}", b.message);
    assert!(b.message.contains("on users"), "{}", b.message);
    // In line order, the transaction's findings among the statements'.
    let lines: Vec<usize> = a.findings.iter().map(|f| f.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    // A backfill before the DDL holds no DDL lock while it runs.
    assert!(
        !rules_of("UPDATE t SET a = 1;\nALTER TABLE t ADD COLUMN b int;")
            .contains(&"backfill-with-ddl")
    );
}

#[test]
fn several_strong_locks_names_each_table_once() {
    let a = lint_with(
        &[(
            "ALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;\nALTER TABLE users ADD COLUMN c int;\nALTER TABLE users ADD COLUMN d int;\nCREATE INDEX i ON orders (id);",
            false,
        )],
        &mut Context::offline(15),
    );
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == Rule::SeveralStrongLocks)
        .expect("several strong locks");
    let tables: Vec<&str> = f.locks.iter().map(|c| c.table.as_str()).collect();
    assert_eq!(tables, ["users", "orders"]);
    assert_eq!(f.locks[0].mode, LockMode::AccessExclusive);
}
