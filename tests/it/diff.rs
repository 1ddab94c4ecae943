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
            "public.order_total(p bigint)",
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
