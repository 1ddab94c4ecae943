//! The catalog reader and the comparison, on real databases: every kind an
//! application schema uses is read; two databases built the same way are
//! equal; each change made by hand is one difference whose SQL, applied,
//! makes them equal again; extension members never appear.

use neonops::schema::compare::{Change, compare, script};
use neonops::schema::{Kind, Schema};

use crate::harness::{TestDb, block_on, sandbox};

/// A schema with one of everything (PostgreSQL 15).
pub const RICH: &str = r#"
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
CREATE DOMAIN app.positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE app.pair AS (a integer, b text COLLATE "C");
CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE SEQUENCE app.counter AS integer INCREMENT BY 5 START WITH 10 CACHE 2;
CREATE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
CREATE PROCEDURE app.noop() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE AGGREGATE app.total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
CREATE FUNCTION app.same(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT a = b $$;
CREATE AGGREGATE app.how_many(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION app.pair_text(p app.pair) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT p.b $$;
CREATE CAST (app.pair AS text) WITH FUNCTION app.pair_text(app.pair) AS ASSIGNMENT;
CREATE TEXT SEARCH DICTIONARY app.stem_all (TEMPLATE = snowball, language = 'english');
CREATE TEXT SEARCH CONFIGURATION app.search (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION app.search ALTER MAPPING FOR asciiword WITH app.stem_all;
CREATE OPERATOR app.=== (FUNCTION = app.same, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR = OPERATOR(app.===), RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE TABLE app.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    mood app.mood NOT NULL DEFAULT 'happy',
    score app.positive,
    doubled integer GENERATED ALWAYS AS (app.double(score)) STORED,
    token text DEFAULT encode(gen_random_bytes(8), 'hex'),
    note text COLLATE "C"
) WITH (fillfactor = 90);
ALTER TABLE app.accounts ADD CONSTRAINT email_lower CHECK (email = lower(email)) NOT VALID;
ALTER TABLE app.accounts ALTER COLUMN note SET STORAGE EXTERNAL;
CREATE TABLE app.orders (
    id serial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    total integer NOT NULL DEFAULT nextval('app.counter'),
    during tsrange,
    EXCLUDE USING gist (during WITH &&),
    UNIQUE NULLS NOT DISTINCT (account_id, total)
);
ALTER SEQUENCE app.counter OWNED BY app.orders.total;
CREATE INDEX orders_big ON app.orders (total) INCLUDE (account_id) WHERE total > 100;
CREATE INDEX orders_expr ON app.orders ((total * 2) DESC NULLS LAST);
CREATE TABLE app.events (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE UNLOGGED TABLE app.scratch (k text);
ALTER TABLE app.scratch REPLICA IDENTITY FULL;
CREATE VIEW app.big_orders WITH (security_barrier) AS SELECT id, total FROM app.orders WHERE total > 100;
CREATE MATERIALIZED VIEW app.totals AS SELECT account_id, sum(total) AS s FROM app.orders GROUP BY account_id;
CREATE UNIQUE INDEX totals_account ON app.totals (account_id);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := NEW.total; RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE OF total ON app.orders FOR EACH ROW WHEN (OLD.total IS DISTINCT FROM NEW.total) EXECUTE FUNCTION app.touch();
CREATE VIEW app.selfish AS SELECT 1 AS n;
CREATE OR REPLACE VIEW app.selfish AS SELECT n FROM app.selfish;
CREATE RULE scratch_nothing AS ON DELETE TO app.scratch DO INSTEAD NOTHING;
ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON app.accounts AS RESTRICTIVE FOR SELECT TO PUBLIC USING (email <> '');
CREATE PUBLICATION app_orders FOR TABLE app.orders (id, account_id, total) WHERE (total > 0) WITH (publish = 'insert');
CREATE STATISTICS app.orders_stats (dependencies) ON account_id, total FROM app.orders;
COMMENT ON TABLE app.accounts IS 'who buys';
COMMENT ON COLUMN app.accounts.email IS 'lower case';
COMMENT ON FUNCTION app.double(integer) IS 'twice';
COMMENT ON CONSTRAINT email_lower ON app.accounts IS 'checked later';
COMMENT ON OPERATOR app.=== (integer, integer) IS 'the same';
GRANT SELECT, INSERT ON app.orders TO pg_monitor;
GRANT USAGE ON SCHEMA app TO pg_monitor;
REVOKE EXECUTE ON FUNCTION app.double(integer) FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO pg_monitor;
"#;

pub fn read(db: &TestDb) -> Schema {
    let url = db.direct_url();
    let state = sandbox();
    std::thread::scope(|s| {
        s.spawn(|| {
            block_on(async {
                let c = state.connect(&url).await.expect("connect");
                neonops::schema::read(&c, &["refinery_schema_history".into()])
                    .await
                    .expect("the catalog read")
            })
        })
        .join()
        .expect("read")
    })
}

fn built(tag: &str) -> TestDb {
    let db = TestDb::new(tag);
    db.exec(RICH);
    db
}

#[test]
fn every_kind_is_read_and_extension_members_are_not() {
    let db = built("schema_kinds");
    let s = read(&db);
    let counts = s.counts();
    for k in [
        Kind::Schema,
        Kind::Extension,
        Kind::Enum,
        Kind::Domain,
        Kind::Type,
        Kind::Range,
        Kind::Sequence,
        Kind::Function,
        Kind::Procedure,
        Kind::Aggregate,
        Kind::Operator,
        Kind::Cast,
        Kind::TextSearchDictionary,
        Kind::TextSearchConfiguration,
        Kind::Table,
        Kind::Column,
        Kind::SequenceOwner,
        Kind::Constraint,
        Kind::Index,
        Kind::View,
        Kind::MaterializedView,
        Kind::MaterializedViewIndex,
        Kind::Trigger,
        Kind::Rule,
        Kind::Policy,
        Kind::Statistics,
        Kind::Publication,
        Kind::Comment,
        Kind::Grant,
        Kind::DefaultPrivileges,
    ] {
        assert!(counts.contains_key(&k), "no {k:?} read: {counts:?}");
    }
    // pgcrypto's functions are its own, not the application's.
    assert!(
        !s.objects
            .keys()
            .any(|(_, n)| n.contains("gen_random_bytes") || n.contains("digest(")),
        "extension members leaked"
    );
    let get = |k: Kind, n: &str| {
        &s.objects
            .get(&(k, n.to_string()))
            .unwrap_or_else(|| {
                panic!(
                    "{k:?} {n} not read: {:?}",
                    s.objects
                        .keys()
                        .filter(|(x, _)| *x == k)
                        .collect::<Vec<_>>()
                )
            })
            .definition
    };
    assert_eq!(get(Kind::Enum, "app.mood"), "'sad', 'happy'");
    assert_eq!(
        get(Kind::Operator, "app.===(integer, integer)"),
        "FUNCTION = app.same, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR = OPERATOR(app.===), RESTRICT = eqsel, JOIN = eqjoinsel"
    );
    assert!(
        get(Kind::TextSearchConfiguration, "app.search").contains("\nasciiword: app.stem_all\n")
    );
    assert_eq!(
        get(Kind::Publication, "app_orders"),
        "FOR TABLE app.orders (id, account_id, total) WHERE ((total > 0))\npublish = 'insert', publish_via_partition_root = false"
    );
    assert_eq!(
        get(Kind::Cast, "app.pair AS text"),
        "WITH FUNCTION app.pair_text(app.pair) AS ASSIGNMENT"
    );
    assert!(get(Kind::Aggregate, "app.how_many()").contains("SFUNC = int8inc"));
    assert_eq!(
        get(Kind::Comment, "operator app.===(integer,integer)"),
        "the same"
    );
    assert!(get(Kind::Constraint, "app.accounts.email_lower").ends_with("NOT VALID"));
    assert!(
        get(Kind::Constraint, "app.orders.orders_account_id_fkey")
            .contains("ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED")
    );
    assert!(get(Kind::Column, "app.accounts.id").contains("identity: always"));
    let doubled = get(Kind::Column, "app.accounts.doubled");
    assert!(doubled.contains("generated: app.double("), "{doubled}");
    assert!(get(Kind::Column, "app.accounts.note").contains("storage: external"));
    assert!(get(Kind::Table, "app.events").contains("partition by: RANGE (at)"));
    assert!(get(Kind::Table, "app.scratch").contains("unlogged: yes"));
    assert!(
        get(Kind::Index, "app.orders_big").contains("INCLUDE (account_id) WHERE (total > 100)")
    );
    assert_eq!(get(Kind::SequenceOwner, "app.counter"), "app.orders.total");
    // The tables' and columns' own history table is left out.
    assert!(
        !s.objects
            .keys()
            .any(|(_, n)| n.contains("refinery_schema_history"))
    );
}

#[test]
fn two_databases_built_the_same_way_are_equal() {
    let (a, b) = (built("schema_same_a"), built("schema_same_b"));
    let d = compare(&read(&a), &read(&b));
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn each_change_by_hand_is_one_difference_and_its_sql_makes_them_equal() {
    let (reference, live) = (built("schema_ref"), built("schema_live"));
    live.exec(
        r#"
CREATE INDEX accounts_mood ON app.accounts (mood);
ALTER TABLE app.orders ALTER COLUMN total SET DEFAULT 7;
ALTER TYPE app.mood ADD VALUE 'calm' BEFORE 'happy';
DROP TRIGGER orders_touch ON app.orders;
CREATE TABLE app.audit (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), what text);
CREATE INDEX audit_at ON app.audit (at);
COMMENT ON TABLE app.accounts IS 'customers';
ALTER TABLE app.accounts DROP COLUMN note;
ALTER TABLE app.scratch SET LOGGED;
CREATE OR REPLACE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + x $$;
"#,
    );
    // A new label in use: the plan must commit it before the default uses it.
    live.exec("ALTER TABLE app.accounts ALTER COLUMN mood SET DEFAULT 'calm'");
    // A domain in use changes in place (its column keeps it).
    live.exec("ALTER DOMAIN app.positive DROP DEFAULT; ALTER DOMAIN app.positive ADD CONSTRAINT below_million CHECK (VALUE < 1000000)");
    // A composite type used by a routine changes in place too.
    reference.exec(
        "CREATE FUNCTION app.first(p app.pair) RETURNS integer LANGUAGE sql AS $$ SELECT p.a $$",
    );
    live.exec(
        "CREATE FUNCTION app.first(p app.pair) RETURNS integer LANGUAGE sql AS $$ SELECT p.a $$",
    );
    live.exec("ALTER TYPE app.pair ADD ATTRIBUTE c date, ALTER ATTRIBUTE b TYPE varchar(20)");
    reference.exec("INSERT INTO app.accounts (email, score) VALUES ('a@example.com', 2)");
    let before = read(&reference);
    let d = compare(&before, &read(&live));
    let seen: Vec<(Kind, &str, Change)> = d
        .iter()
        .map(|x| (x.kind, x.name.as_str(), x.change))
        .collect();
    for want in [
        (Kind::Index, "app.accounts_mood", Change::Added),
        (Kind::Column, "app.orders.total", Change::Changed),
        (Kind::Enum, "app.mood", Change::Changed),
        (Kind::Trigger, "app.orders.orders_touch", Change::Removed),
        (Kind::Table, "app.audit", Change::Added),
        (Kind::Comment, "table app.accounts", Change::Changed),
        (Kind::Column, "app.accounts.note", Change::Removed),
        (Kind::Table, "app.scratch", Change::Changed),
        (Kind::Function, "app.double(integer)", Change::Changed),
        (Kind::Column, "app.accounts.mood", Change::Changed),
        (Kind::Domain, "app.positive", Change::Changed),
        (Kind::Type, "app.pair", Change::Changed),
    ] {
        assert!(seen.contains(&want), "{want:?} not in {seen:#?}");
    }
    assert_eq!(seen.len(), 12, "one difference per change: {seen:#?}");
    let enum_sql = &d.iter().find(|x| x.kind == Kind::Enum).unwrap().sql;
    assert_eq!(
        enum_sql,
        "ALTER TYPE app.mood ADD VALUE 'calm' BEFORE 'happy';"
    );
    // The script, with the runner's default timeouts, applied to the
    // reference by psql, makes it equal to live, and its row stays.
    let timeouts = Some(neonops::schema::compare::Timeouts {
        lock: neonops::migrate::history::DEFAULT_LOCK_TIMEOUT,
        statement: neonops::migrate::history::DEFAULT_STATEMENT_TIMEOUT,
    });
    let text = script(&d, timeouts);
    assert!(text.starts_with("SET lock_timeout = '5000ms';\nSET check_function_bodies = off;\nALTER TYPE app.mood ADD VALUE 'calm' BEFORE 'happy';\nBEGIN;\nSET LOCAL statement_timeout = '600000ms';\n"), "{text}");
    reference.psql_script(&text);
    let again = compare(&read(&reference), &read(&live));
    assert!(again.is_empty(), "{again:#?}\n--- script:\n{text}");
    assert_eq!(
        reference.column("SELECT email || ' ' || score FROM app.accounts"),
        ["a@example.com 2"]
    );
}

#[test]
fn a_whole_schema_is_created_in_an_order_that_runs_and_dropped_again() {
    let (empty, rich) = (TestDb::new("schema_empty"), built("schema_rich"));
    let forward = compare(&read(&empty), &read(&rich));
    empty.psql_script(&script(&forward, None));
    let again = compare(&read(&empty), &read(&rich));
    assert!(
        again.is_empty(),
        "{again:#?}\n--- script:\n{}",
        script(&forward, None)
    );
    // And back to nothing.
    let backward = compare(&read(&rich), &read(&TestDb::new("schema_empty2")));
    rich.psql_script(&script(&backward, None));
    let gone = read(&rich);
    assert!(
        gone.objects
            .keys()
            .all(|(k, n)| *k == Kind::Schema && n == "public"),
        "{:#?}\n--- script:\n{}",
        gone.objects.keys(),
        script(&backward, None)
    );
}

/// Lemmy's migrations (tests/data/realworld/lemmy) up to `v`, on a fresh database.
fn lemmy_at(tag: &str, v: usize) -> TestDb {
    let db = TestDb::new(tag);
    crate::harness::Neonops::new()
        .db(&db)
        .args(["migrate", "--dir"])
        .arg_path(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/realworld/lemmy/migrations"),
        )
        .args(["--target", &v.to_string()])
        .run()
        .code(0);
    db
}

#[test]
fn lemmy_converges_between_versions_both_ways() {
    let (k, m) = (120, 247);
    let (old, new) = (
        lemmy_at("schema_lemmy_old", k),
        lemmy_at("schema_lemmy_new", m),
    );
    // The same history twice reads the same.
    assert!(compare(&read(&new), &read(&lemmy_at("schema_lemmy_new2", m))).is_empty());
    let (a, b) = (read(&old), read(&new));
    let forward = compare(&a, &b);
    assert!(!forward.is_empty());
    // A row in every table that takes one with its defaults (not those
    // where the plan makes a column NOT NULL: no plan can fill a NULL
    // in); a table kept by the plan keeps its rows.
    let text = script(&forward, None);
    let seeded = seed(&old, |t| {
        text.lines()
            .any(|l| l.starts_with(&format!("ALTER TABLE {t} ")) && l.contains("NOT NULL"))
    });
    assert!(
        seeded.values().filter(|n| *n != "0").count() >= 3,
        "{seeded:?}"
    );
    old.psql_script(&script(&forward, None));
    let after = seed_counts(&old);
    for (t, n) in &seeded {
        if let Some(m) = after.get(t) {
            assert_eq!(m, n, "{t}: rows lost");
        }
    }
    let left = compare(&read(&old), &b);
    assert!(
        left.is_empty(),
        "{left:#?}\n--- script:\n{}",
        script(&forward, None)
    );
    // Back: the newer database to the older schema.
    let backward = compare(&b, &a);
    new.psql_script(&script(&backward, None));
    let left = compare(&read(&new), &a);
    assert!(
        left.is_empty(),
        "{left:#?}\n--- script:\n{}",
        script(&backward, None)
    );
}

const TABLES: &str = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND c.relname <> 'refinery_schema_history' ORDER BY 1";

/// A row in every table that takes one with its defaults, but those
/// `skip` says; rows per table.
fn seed(db: &TestDb, skip: impl Fn(&str) -> bool) -> std::collections::BTreeMap<String, String> {
    for t in db.column(TABLES).into_iter().filter(|t| !skip(t)) {
        db.exec(&format!(
            "DO $$ BEGIN INSERT INTO {t} DEFAULT VALUES; EXCEPTION WHEN others THEN NULL; END $$"
        ));
    }
    seed_counts(db)
}

fn seed_counts(db: &TestDb) -> std::collections::BTreeMap<String, String> {
    db.column(TABLES)
        .into_iter()
        .map(|t| {
            let n = db.column(&format!("SELECT count(*)::text FROM {t}"));
            (t, n[0].clone())
        })
        .collect()
}

#[test]
fn tables_that_change_what_they_are_keep_their_rows_where_postgresql_can() {
    let (a, b) = (TestDb::new("schema_shape_a"), TestDb::new("schema_shape_b"));
    a.exec(
        "CREATE TABLE m (city int NOT NULL, day date NOT NULL) PARTITION BY RANGE (day);
         CREATE TABLE m_2006 PARTITION OF m FOR VALUES FROM ('2006-01-01') TO ('2007-01-01');
         CREATE TABLE m_2007 (city int NOT NULL, day date NOT NULL, note text);
         CREATE TABLE x (id int PRIMARY KEY, y_id int);
         CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x);
         ALTER TABLE x ADD FOREIGN KEY (y_id) REFERENCES y;
         CREATE TABLE flat (day date NOT NULL);
         CREATE VIEW data AS SELECT 1 AS id;
         CREATE VIEW over_data AS SELECT * FROM data;
         INSERT INTO m VALUES (1, '2006-05-01');
         INSERT INTO m_2007 VALUES (2, '2007-05-01', 'n');",
    );
    b.exec(
        "CREATE TABLE m (city int NOT NULL, day date NOT NULL) PARTITION BY RANGE (day);
         CREATE TABLE m_2006 (city int NOT NULL, day date NOT NULL);
         CREATE TABLE m_2007 PARTITION OF m FOR VALUES FROM ('2007-01-01') TO ('2008-01-01');
         CREATE TABLE flat (day date NOT NULL) PARTITION BY RANGE (day);
         CREATE TABLE data (id int);
         CREATE VIEW over_data AS SELECT * FROM data;",
    );
    let d = compare(&read(&a), &read(&b));
    let text = script(&d, None);
    for want in [
        "ALTER TABLE public.m DETACH PARTITION public.m_2006;",
        "ALTER TABLE public.m_2007 DROP COLUMN note;",
        "ALTER TABLE public.m ATTACH PARTITION public.m_2007 FOR VALUES FROM ('2007-01-01') TO ('2008-01-01');",
        "DROP TABLE public.flat;",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
    let hazards: Vec<&String> = d.iter().flat_map(|x| &x.hazards).collect();
    assert!(
        hazards
            .iter()
            .any(|h| h.contains("data loss: drops table public.flat")),
        "a table that becomes partitioned is dropped, and says so: {hazards:#?}"
    );
    a.psql_script(&text);
    let again = compare(&read(&a), &read(&b));
    assert!(again.is_empty(), "{again:#?}\n--- script:\n{text}");
    // Detached and attached, the rows stay where they were.
    assert_eq!(
        a.column("SELECT city || ' ' || day FROM m_2006"),
        ["1 2006-05-01"]
    );
    assert_eq!(
        a.column("SELECT city || ' ' || day FROM m"),
        ["2 2007-05-01"]
    );
}

#[test]
fn a_domain_over_another_base_type_is_made_again_around_its_columns_and_their_rows_stay() {
    let (a, b) = (
        TestDb::new("schema_domain_a"),
        TestDb::new("schema_domain_b"),
    );
    let schema = |base: &str| {
        format!(
            "CREATE DOMAIN code AS {base} DEFAULT 'x' CHECK (VALUE <> '');
             CREATE TABLE t (id int, c code DEFAULT 'aa', d code[]);
             CREATE VIEW v AS SELECT c FROM t;
             CREATE FUNCTION f(x code) RETURNS int LANGUAGE sql AS 'SELECT 1';"
        )
    };
    a.exec(&schema("varchar(5)"));
    a.exec("INSERT INTO t VALUES (1, 'abc', ARRAY['q']::code[])");
    b.exec(&schema("text"));
    let d = compare(&read(&a), &read(&b));
    let text = script(&d, None);
    for want in [
        "ALTER DOMAIN public.code RENAME TO code__neonops_old;",
        "ALTER TABLE public.t ALTER COLUMN c TYPE code USING c::text::code;",
        "DROP DOMAIN public.code__neonops_old;",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
    a.psql_script(&text);
    let again = compare(&read(&a), &read(&b));
    assert!(again.is_empty(), "{again:#?}\n--- script:\n{text}");
    assert_eq!(a.column("SELECT c || ' ' || d::text FROM t"), ["abc {q}"]);
}
