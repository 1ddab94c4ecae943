//! `neonops diff` and `neonops drift`, run as users run them: the binary,
//! the sandbox's databases, scripts run by psql, files written and applied
//! by `migrate`.

use serde_json::Value;

use crate::harness::{Migrations, Neonops, Run, TestDb, sandbox};

const V1: &str = "CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE people (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    mood mood DEFAULT 'happy',
    token text DEFAULT encode(gen_random_bytes(8), 'hex')
);
";
const V2: &str = "CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES people (id),
    total numeric(12,2) NOT NULL DEFAULT 0
);
CREATE INDEX orders_person ON orders (person_id);
CREATE FUNCTION order_total(p bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT sum(total) FROM orders WHERE person_id = p $$;
";

/// `neonops ARGS --dir M` on this database, with the sandbox for scratch.
fn neonops(db: &TestDb, m: &Migrations, args: &[&str]) -> Neonops {
    Neonops::new()
        .db(db)
        .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
        .args(args)
        .args(["--dir".to_string(), m.arg()])
}

/// The scratch databases a run says it made (`-v`), and those of them
/// still there.
fn left_behind(db: &TestDb, r: &Run) -> Vec<String> {
    let made: Vec<String> = r
        .stderr
        .split_whitespace()
        .filter(|w| w.starts_with("neonops_scratch_"))
        .map(|w| w.trim_end_matches([',', ':', '.']).to_string())
        .collect();
    assert!(
        !made.is_empty(),
        "no scratch database named in:\n{}",
        r.stderr
    );
    made.into_iter()
        .filter(|n| {
            db.column(&format!(
                "SELECT count(*)::text FROM pg_database WHERE datname = '{n}'"
            )) != ["0"]
        })
        .collect()
}

fn migrated(tag: &str) -> (TestDb, Migrations) {
    let db = TestDb::new(tag);
    let m = Migrations::new(&[("V1__people.sql", V1), ("V2__orders.sql", V2)]);
    neonops(&db, &m, &["migrate"]).run().code(0);
    (db, m)
}

#[test]
fn drift_is_empty_on_an_untouched_database_and_names_each_change_made_by_hand() {
    let (db, m) = migrated("drift_hand");
    let r = neonops(&db, &m, &["drift"]).run();
    r.code(0)
        .stdout_has("no drift")
        .stdout_has("2 applied migration(s)");
    db.exec(
        "CREATE INDEX people_name ON people (name);
         ALTER TABLE orders ALTER COLUMN total SET DEFAULT 1;
         DROP FUNCTION order_total(bigint);
         ALTER TYPE mood ADD VALUE 'calm';
         CREATE TABLE notes (id int PRIMARY KEY, body text);
         COMMENT ON TABLE people IS 'customers';
         CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    );
    let r = neonops(&db, &m, &["-v", "--json", "drift"]).run();
    r.code(1);
    assert!(left_behind(&db, &r).is_empty());
    let j: Value = r.json();
    assert_eq!(j["ok"], false);
    let seen: Vec<(String, String, String)> = j["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap().to_string(),
                d["name"].as_str().unwrap().to_string(),
                d["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("index", "public.people_name", "extra_in_live"),
        ("column", "public.orders.total", "changed"),
        (
            "function",
            "public.order_total(bigint)",
            "missing_from_live",
        ),
        ("enum", "public.mood", "changed"),
        ("table", "public.notes", "extra_in_live"),
        ("comment", "table public.people", "extra_in_live"),
        ("extension", "pg_trgm", "extra_in_live"),
    ];
    for (k, n, c) in want {
        assert!(
            seen.contains(&(k.into(), n.into(), c.into())),
            "{k} {n} {c} not in {seen:#?}"
        );
    }
    // One entry per change: nothing from pg_trgm's or pgcrypto's members.
    assert_eq!(seen.len(), want.len(), "{seen:#?}");
    let column = j["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "column")
        .unwrap();
    assert_eq!(
        column["sql"],
        "ALTER TABLE public.orders ALTER COLUMN total SET DEFAULT 1;"
    );
    // Captured as migrations (--write), recorded without running them
    // (the changes are already live): no drift any more.
    let w = neonops(
        &db,
        &m,
        &[
            "diff",
            "--from",
            "migrations",
            "--to",
            "live",
            "--write",
            "hand changes",
            "--allow-data-loss",
        ],
    )
    .run();
    w.code(0).stdout_has("-- written: ");
    let names: Vec<String> = std::fs::read_dir(m.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("V3__hand_changes_enum_values")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("V4__hand_changes.sql")),
        "{names:?}"
    );
    neonops(&db, &m, &["migrate", "--fake"]).run().code(0);
    neonops(&db, &m, &["drift"])
        .run()
        .code(0)
        .stdout_has("no drift");
    // And the files build the live schema from nothing.
    let fresh = TestDb::new("drift_hand_fresh");
    neonops(&fresh, &m, &["migrate"]).run().code(0);
    neonops(
        &fresh,
        &m,
        &[
            "diff",
            "--exit-code",
            "--from",
            "live",
            "--to",
            &db.direct_url(),
        ],
    )
    .run()
    .code(0)
    .stdout_has("-- no differences");
}

#[test]
fn diff_between_versions_is_a_script_psql_runs_and_then_nothing_is_left() {
    let db = TestDb::new("diff_versions");
    let m = Migrations::new(&[("V1__people.sql", V1), ("V2__orders.sql", V2)]);
    neonops(&db, &m, &["migrate", "--target", "1"])
        .run()
        .code(0);
    db.exec("INSERT INTO people (name) VALUES ('ada'), ('grace')");
    let r = neonops(
        &db,
        &m,
        &[
            "diff",
            "--exit-code",
            "--from",
            "live",
            "--to",
            "migrations",
        ],
    )
    .run();
    r.code(1)
        .stdout_has("-- from: postgresql://")
        .stdout_has("-- to:   the migrations (2 files)")
        .stdout_has("CREATE TABLE public.orders (")
        .stdout_has("FUNCTION public.order_total(p bigint)");
    db.psql_script(&r.stdout);
    let again = neonops(
        &db,
        &m,
        &[
            "diff",
            "--exit-code",
            "--from",
            "live",
            "--to",
            "migrations",
        ],
    )
    .run();
    again.code(0);
    assert!(
        again.stdout.lines().all(|l| l.starts_with("--")),
        "only comments when equal:\n{}",
        again.stdout
    );
    assert_eq!(
        db.column("SELECT name FROM people ORDER BY id"),
        ["ada", "grace"]
    );
    // Back to V1 through the JSON's statements.
    let run = neonops(
        &db,
        &m,
        &[
            "-v",
            "--json",
            "diff",
            "--from",
            "live",
            "--to",
            "migrations@1",
        ],
    )
    .run();
    let back: Value = run.code(0).json();
    assert!(left_behind(&db, &run).is_empty());
    assert_eq!(back["equal"], false);
    assert_eq!(back["to"], "the migrations up to V1 (1 file)");
    let drops: Vec<&str> = back["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sql"].as_str().unwrap())
        .collect();
    assert!(drops.contains(&"DROP TABLE public.orders;"), "{drops:?}");
    let hazards = back["differences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["hazards"].as_array().unwrap().clone())
        .map(|h| h.as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(
        hazards
            .iter()
            .any(|h| h.starts_with("data loss: drops table public.orders")),
        "{hazards:?}"
    );
}

#[test]
fn bad_sources_and_failing_migrations_are_named_and_leave_nothing_behind() {
    let db = TestDb::new("diff_bad");
    let m = Migrations::new(&[
        ("V1__people.sql", V1),
        (
            "V2__broken.sql",
            "CREATE TABLE broken (id int REFERENCES nowhere (id));\n",
        ),
    ]);
    neonops(&db, &m, &["diff", "--from", "yesterday", "--to", "live"])
        .run()
        .code(2)
        .stderr_has("\"yesterday\" is not a schema source: give live, migrations, migrations@VERSION or a database URL");
    neonops(&db, &m, &["diff", "--from", "migrations@x", "--to", "live"])
        .run()
        .code(2)
        .stderr_has("the version after @ is a number");
    let r = neonops(
        &db,
        &m,
        &["-v", "diff", "--from", "migrations", "--to", "live"],
    )
    .run();
    r.code(2).stderr_has(
        "V2__broken.sql does not apply on a fresh database: relation \"nowhere\" does not exist",
    );
    assert!(left_behind(&db, &r).is_empty());
    // No sandbox and no --scratch-url: said with both ways out.
    let nowhere = tempfile::tempdir().unwrap();
    Neonops::new()
        .db(&db)
        .env("NEONOPS_SANDBOX_DIR", nowhere.path())
        .args([
            "diff",
            "--dir",
            &m.arg(),
            "--from",
            "migrations@1",
            "--to",
            "live",
        ])
        .run()
        .code(2)
        .stderr_has("start the local sandbox")
        .stderr_has("--scratch-url");
    // --write refuses to lose data unless told, and writes nothing.
    neonops(&db, &m, &["migrate", "--target", "1"])
        .run()
        .code(0);
    db.exec("ALTER TABLE people DROP COLUMN token");
    let before = std::fs::read_dir(m.path()).unwrap().count();
    neonops(
        &db,
        &m,
        &[
            "diff",
            "--from",
            "live",
            "--to",
            "migrations@1",
            "--write",
            "put back",
        ],
    )
    .run()
    .code(0);
    neonops(
        &db,
        &m,
        &[
            "diff",
            "--from",
            "migrations@1",
            "--to",
            "live",
            "--write",
            "drop token",
        ],
    )
    .run()
    .code(2)
    .stderr_has("data loss: drops column public.people.token")
    .stderr_has("--allow-data-loss");
    assert_eq!(std::fs::read_dir(m.path()).unwrap().count(), before + 1);
}

#[test]
fn an_explicit_scratch_server_is_used_and_cleaned_up_also_on_ctrl_c() {
    let (db, m) = migrated("diff_scratch");
    let s = sandbox();
    let server = s.url_with(&s.direct_host, &s.admin_role, "postgres");
    let r = neonops(&db, &m, &["-v", "drift", "--scratch-url", &server]).run();
    r.code(0)
        .stdout_has("no drift")
        .stderr_has(&format!("on postgresql://{}@", s.admin_role));
    assert!(left_behind(&db, &r).is_empty());
    // Ctrl-C while a migration replays: the scratch database is dropped.
    m.write("V3__slow.sql", "SELECT pg_sleep(60);\n");
    let child = neonops(&db, &m, &["diff", "--from", "migrations", "--to", "live"]).spawn();
    let mine = format!("neonops\\_scratch\\_{}\\_%", child.id());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while db.column(&format!(
        "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(60)%' AND datname LIKE '{mine}'"
    )) != ["1"]
    {
        assert!(std::time::Instant::now() < deadline, "the replay never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: kill(2) on our child, not yet reaped.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let r = Run::from_output(child.wait_with_output().unwrap(), "diff (SIGINT)");
    r.code(1).stderr_has("interrupted by SIGINT");
    assert_eq!(
        db.column(&format!(
            "SELECT count(*)::text FROM pg_database WHERE datname LIKE '{mine}'"
        )),
        ["0"]
    );
}

const LIVE: &str = "CREATE TABLE accounts (id bigint PRIMARY KEY, email text, n int);
INSERT INTO accounts SELECT i, 'user' || i || '@example.com', i % 100 FROM generate_series(1, 20000) i;
CREATE INDEX accounts_n ON accounts (n);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, total int);
INSERT INTO orders SELECT i, i, i FROM generate_series(1, 20000) i;
";

const ONLINE_CHANGES: &str = "CREATE INDEX accounts_email ON accounts (email);
ALTER TABLE orders ADD CONSTRAINT orders_account FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
ALTER TABLE orders ALTER COLUMN total SET NOT NULL;
DROP INDEX accounts_n;
CREATE INDEX accounts_n ON accounts (n DESC);
";

#[test]
fn a_plan_for_live_tables_is_online_runs_in_psql_and_the_lint_finds_nothing_left() {
    let (live, target) = (TestDb::new("diff_online"), TestDb::new("diff_online_to"));
    live.exec(LIVE);
    target.exec(LIVE);
    target.exec(ONLINE_CHANGES);
    let m = Migrations::new(&[]);
    let r = neonops(
        &live,
        &m,
        &[
            "diff",
            "--from",
            &live.direct_url(),
            "--to",
            &target.direct_url(),
        ],
    )
    .run();
    r.code(0);
    let plan = &r.stdout;
    let (tx, outside) = plan
        .split_once("COMMIT;\n")
        .expect("a transaction, then what runs outside it");
    for (part, want) in [
        (
            tx,
            "ALTER TABLE public.orders ADD CONSTRAINT orders_account FOREIGN KEY (account_id) REFERENCES accounts(id) NOT VALID;",
        ),
        (
            tx,
            "ALTER TABLE public.orders ADD CONSTRAINT total_positive CHECK ((total > 0)) NOT VALID;",
        ),
        (
            tx,
            "ALTER TABLE public.orders ADD CONSTRAINT total_not_null_neonops CHECK (total IS NOT NULL) NOT VALID;",
        ),
        (
            outside,
            "CREATE INDEX CONCURRENTLY accounts_email ON public.accounts USING btree (email);",
        ),
        (
            outside,
            "ALTER TABLE public.orders VALIDATE CONSTRAINT orders_account;",
        ),
        (
            outside,
            "ALTER TABLE public.orders VALIDATE CONSTRAINT total_positive;",
        ),
        (
            outside,
            "CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON public.accounts USING btree (email);",
        ),
        (
            outside,
            "ALTER TABLE public.accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_key;",
        ),
        (
            outside,
            "ALTER TABLE public.orders ALTER COLUMN total SET NOT NULL;",
        ),
        (
            outside,
            "CREATE INDEX CONCURRENTLY accounts_n_neonops_new ON public.accounts USING btree (n DESC);",
        ),
        (
            outside,
            "DROP INDEX CONCURRENTLY IF EXISTS public.accounts_n;",
        ),
        (
            outside,
            "ALTER INDEX public.accounts_n_neonops_new RENAME TO accounts_n;",
        ),
    ] {
        assert!(
            part.contains(want),
            "{want}\nnot where it belongs in:\n{plan}"
        );
    }
    assert!(!tx.contains("CONCURRENTLY"), "{plan}");
    assert!(
        !plan.contains("-- hazard: lint"),
        "the lint still finds something:\n{plan}"
    );
    live.psql_script(plan);
    neonops(
        &live,
        &m,
        &[
            "diff",
            "--exit-code",
            "--from",
            &live.direct_url(),
            "--to",
            &target.direct_url(),
        ],
    )
    .run()
    .code(0);
    assert_eq!(live.column("SELECT count(*)::text FROM orders"), ["20000"]);
    // The same plan written as migrations: the lint passes them, migrate applies them.
    let other = TestDb::new("diff_online_again");
    other.exec(LIVE);
    let m2 = Migrations::new(&[]);
    neonops(
        &other,
        &m2,
        &[
            "diff",
            "--from",
            &other.direct_url(),
            "--to",
            &target.direct_url(),
            "--write",
            "online",
        ],
    )
    .run()
    .code(0);
    let mut names: Vec<String> = std::fs::read_dir(m2.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["V1__online.sql", "V2__online_online.sql"]);
    let online = std::fs::read_to_string(m2.path().join("V2__online_online.sql")).unwrap();
    assert!(online.starts_with("-- neonops:no-transaction"), "{online}");
    neonops(&other, &m2, &["lint"]).run().code(0);
    neonops(&other, &m2, &["migrate"]).run().code(0);
    neonops(
        &other,
        &m2,
        &[
            "diff",
            "--exit-code",
            "--from",
            "live",
            "--to",
            &target.direct_url(),
        ],
    )
    .run()
    .code(0);
    // What stays risky is said by the lint beside its statement.
    let retyped = TestDb::new("diff_online_retyped");
    retyped.exec(LIVE);
    retyped.exec("ALTER TABLE accounts ALTER COLUMN n TYPE bigint");
    let fresh = TestDb::new("diff_online_fresh");
    fresh.exec(LIVE);
    neonops(
        &fresh,
        &m,
        &[
            "diff",
            "--from",
            &fresh.direct_url(),
            "--to",
            &retyped.direct_url(),
        ],
    )
    .run()
    .code(0)
    .stdout_has("-- hazard: lint ")
    .stdout_has("ALTER TABLE public.accounts ALTER COLUMN n TYPE bigint;")
    .lacks("USING");
}
