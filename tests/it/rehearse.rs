//! Rehearsals (`migrate --rehearse`) against the sandbox's control-plane
//! stand-in: a real branch (a copy of the database), real statements, the
//! locks PostgreSQL reports in `pg_locks`; the branch deleted after a pass,
//! a failure and a Ctrl-C; the environment never touched; the key never
//! printed. Rehearsals share the project's branch limit, so they run one at
//! a time.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::harness::{Migrations, Neonops, Run, TestDb, sandbox};
use crate::json::{ErrorReport, RehearsalReport};
use neonops::neon_api::{NeonApi, NewBranch};

pub(crate) fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn key() -> String {
    std::fs::read_to_string(neonops::sandbox::api::key_file(&sandbox().dir))
        .expect("the stand-in's key")
        .trim()
        .to_string()
}

pub(crate) fn api_url() -> String {
    sandbox()
        .api_url()
        .expect("the sandbox runs its control-plane stand-in")
}

/// The stand-in, from the test's side.
fn api() -> NeonApi {
    let (url, key) = (api_url(), key());
    NeonApi::from_env(&|k| match k {
        "NEON_API_HOST" => Some(url.clone()),
        "NEON_API_KEY" => Some(key.clone()),
        _ => None,
    })
    .expect("an API client")
}

fn project() -> String {
    api().projects().expect("projects")[0].id.clone()
}

/// The project's branches other than its default one.
fn rehearsal_branches() -> Vec<String> {
    api()
        .branches(&project())
        .expect("branches")
        .into_iter()
        .filter(|b| !b.default)
        .map(|b| b.name)
        .collect()
}

/// Databases the stand-in copied for branches (`<db>__br_…`).
fn copies(db: &TestDb) -> Vec<String> {
    db.column(&format!(
        "SELECT datname FROM pg_database WHERE datname LIKE '{}\\_\\_br\\_%'",
        db.name
    ))
}

fn neonops(db: &TestDb, m: &Migrations) -> Neonops {
    Neonops::new()
        .db(db)
        .env("NEON_API_HOST", api_url())
        .env("NEON_API_KEY", key())
        .args(["migrate", "--dir", &m.arg()])
}

pub(crate) fn rehearse(db: &TestDb, m: &Migrations, extra: &[&str]) -> Run {
    neonops(db, m).args(["--rehearse"]).args(extra).run()
}

/// A table of `rows` rows, applied; an index without CONCURRENTLY and a
/// column type change pending.
pub(crate) fn big_table(tag: &str, rows: u32) -> (TestDb, Migrations) {
    let db = TestDb::new(tag);
    let big = format!(
        "CREATE TABLE big (id bigint PRIMARY KEY, n int NOT NULL, note text);\nINSERT INTO big SELECT g, g % 1000, 'row ' || g FROM generate_series(1, {rows}) g;\n"
    );
    let m = Migrations::new(&[
        ("V1__big.sql", &big),
        ("V2__index.sql", "CREATE INDEX big_n ON big (n);\n"),
        (
            "V3__widen.sql",
            "ALTER TABLE big ALTER COLUMN n TYPE bigint;\n",
        ),
    ]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--target", "1", "--dir", &m.arg()])
        .run()
        .code(0);
    (db, m)
}

#[test]
fn a_rehearsal_reports_real_durations_and_lock_holds_and_changes_nothing() {
    let _one = one_at_a_time();
    let (db, m) = big_table("rh_locks", 1_000_000);
    let r = rehearse(&db, &m, &["--json"]);
    // The branch's compute is sized as the environment's endpoint.
    r.code(0)
        .stderr_has("0.25 CU as the environment's endpoint");
    let rep: RehearsalReport = r.json();
    assert!(rep.ok);
    assert_eq!(rep.migrations, ["V2__index", "V3__widen"]);
    let branch = rep.branch.as_ref().expect("the branch");
    assert!(branch.deleted, "{branch:?}");
    assert!(
        branch.name.starts_with("neonops-rehearsal-V3-"),
        "{branch:?}"
    );
    assert_eq!(rep.statements.len(), 2, "{:?}", rep.statements);

    // CREATE INDEX: SHARE on the table (writes wait, reads go on) for as
    // long as it ran, and no rewrite.
    let index = &rep.statements[0];
    assert_eq!((index.version, index.line), (2, 1));
    assert_eq!(index.locks.len(), 1, "{:?}", index.locks);
    let l = &index.locks[0];
    assert_eq!((l.relation.as_str(), l.mode.as_str()), ("big", "SHARE"));
    assert!(l.blocks_writes && !l.blocks_reads);
    assert!(l.held_ms >= index.duration_ms, "{l:?} {index:?}");
    assert!(index.rewrote.is_empty());
    // A million rows to sort: not instant.
    assert!(index.duration_ms >= 20, "{index:?}");

    // ALTER COLUMN TYPE: ACCESS EXCLUSIVE, and the table rewritten.
    let widen = &rep.statements[1];
    assert_eq!(widen.version, 3);
    let l = &widen.locks[0];
    assert_eq!(
        (l.relation.as_str(), l.mode.as_str()),
        ("big", "ACCESS_EXCLUSIVE")
    );
    assert!(l.blocks_writes && l.blocks_reads);
    assert!(l.held_ms >= widen.duration_ms);
    assert_eq!(widen.rewrote, ["big"]);

    // The static analysis' word next to it.
    let rules: Vec<&str> = rep.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"index-without-concurrently"), "{rules:?}");
    assert!(rules.contains(&"column-type-rewrite"), "{rules:?}");
    // What the analysis claimed each statement locks is what pg_locks showed.
    for f in &rep.findings {
        let claim = f.lock.as_ref().expect("a lock claim");
        let s = rep
            .statements
            .iter()
            .find(|s| s.line == f.line && s.file == f.file)
            .expect("the statement rehearsed");
        assert_eq!(
            (claim.table.as_str(), claim.mode.replace(' ', "_")),
            (s.locks[0].relation.as_str(), s.locks[0].mode.clone()),
            "{f:?} {s:?}"
        );
        assert_eq!(f.rewrite, !s.rewrote.is_empty(), "{f:?} {s:?}");
    }
    let longest = rep.longest_write_block.as_ref().expect("a write block");
    assert_eq!(longest.relation, "big");
    assert_eq!(
        longest.held_ms,
        rep.statements
            .iter()
            .flat_map(|s| &s.locks)
            .map(|l| l.held_ms)
            .max()
            .unwrap()
    );

    // The environment: still at version 1, no index, the column an int.
    assert_eq!(db.history(), ["1"]);
    assert!(
        db.column("SELECT indexname FROM pg_indexes WHERE indexname = 'big_n'")
            .is_empty()
    );
    assert_eq!(
        db.column("SELECT data_type FROM information_schema.columns WHERE table_name = 'big' AND column_name = 'n'"),
        ["integer"]
    );
    // The branch and its copy of the data are gone.
    assert!(
        rehearsal_branches().is_empty(),
        "{:?}",
        rehearsal_branches()
    );
    assert!(copies(&db).is_empty(), "{:?}", copies(&db));

    // The same as a table, for people.
    rehearse(&db, &m, &[])
        .code(0)
        .stdout_has("SHARE on big")
        .stdout_has("ACCESS EXCLUSIVE on big")
        .stdout_has("SHARE on big: ")
        .stdout_has("rewrote big")
        .stdout_has("index-without-concurrently")
        .stdout_has("longest lock that blocks writes: ACCESS EXCLUSIVE on big")
        .stdout_has("deleted");
}

#[test]
fn max_lock_fails_a_rehearsal_that_holds_writes_too_long_and_apply_waits_for_a_pass() {
    let _one = one_at_a_time();
    let (db, m) = big_table("rh_maxlock", 100_000);
    let r = neonops(&db, &m)
        .env("GITHUB_ACTIONS", "true")
        .args(["--rehearse", "--max-lock", "1ms", "--apply", "--json"])
        .run();
    r.code(1)
        .stderr_has("over --max-lock 1ms")
        .stderr_has("CREATE INDEX CONCURRENTLY")
        // Annotations on the pull request: each hold that blocks writes, and the failure.
        .stderr_has("::warning file=")
        .stderr_has("V2__index.sql,line=1,col=1,title=neonops::in the rehearsal, CREATE INDEX big_n ON big (n) held SHARE on big for")
        .stderr_has("::error file=");
    let rep: RehearsalReport = r.json();
    assert!(!rep.ok);
    assert_eq!(rep.max_lock_ms, Some(1));
    assert!(
        rep.migrate.is_none(),
        "--apply did not apply after a failed rehearsal"
    );
    assert_eq!(db.history(), ["1"]);
    assert!(rehearsal_branches().is_empty());

    // A limit it keeps: the rehearsal passes and --apply applies, in one report.
    let r = rehearse(&db, &m, &["--max-lock", "10min", "--apply", "--json"]);
    r.code(0);
    let rep: RehearsalReport = r.json();
    assert!(rep.ok);
    let applied = rep.migrate.expect("the run that followed");
    assert!(applied.ok);
    assert_eq!(applied.version, Some(3));
    assert_eq!(db.history(), ["1", "2", "3"]);
    assert_eq!(
        db.column("SELECT indexname FROM pg_indexes WHERE indexname = 'big_n'"),
        ["big_n"]
    );
    assert!(rehearsal_branches().is_empty());
    rehearse(&db, &m, &[])
        .code(0)
        .stdout_has("nothing to rehearse");
}

#[test]
fn a_failing_rehearsal_names_the_statement_deletes_the_branch_and_applies_nothing() {
    let _one = one_at_a_time();
    let db = TestDb::new("rh_fails");
    let m = Migrations::new(&[
        (
            "V1__t.sql",
            "CREATE TABLE t (id int PRIMARY KEY, v int);\nINSERT INTO t VALUES (1, 1), (2, 1);\n",
        ),
        (
            "V2__unique.sql",
            "ALTER TABLE t ADD COLUMN w int;\nCREATE UNIQUE INDEX t_v ON t (v);\n",
        ),
    ]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--target", "1", "--dir", &m.arg()])
        .run()
        .code(0);
    let r = rehearse(&db, &m, &["--apply", "--json"]);
    r.code(1)
        .stderr_has("the rehearsal failed at")
        .stderr_has("V2__unique.sql:2:1")
        .stderr_has("SQLSTATE 23505")
        .stderr_has("nothing was changed on the environment");
    let rep: RehearsalReport = r.json();
    let failed = rep.failed.expect("where it stopped");
    assert_eq!((failed.version, failed.line), (2, 2));
    assert!(rep.branch.expect("branch").deleted);
    assert!(rep.migrate.is_none());
    assert_eq!(db.history(), ["1"]);
    assert!(
        db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 't' AND column_name = 'w'")
            .is_empty()
    );
    assert!(rehearsal_branches().is_empty());
    assert!(copies(&db).is_empty());
}

#[test]
fn ctrl_c_during_a_rehearsal_deletes_the_branch() {
    let _one = one_at_a_time();
    let db = TestDb::new("rh_sigint");
    let m = Migrations::new(&[
        ("V1__t.sql", "CREATE TABLE t (id int);\n"),
        ("V2__slow.sql", "SELECT pg_sleep(60);\n"),
    ]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--target", "1", "--dir", &m.arg()])
        .run()
        .code(0);
    let child = neonops(&db, &m).args(["--rehearse"]).spawn();
    // Until the statement runs on the branch's copy.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let running = db.column(&format!(
            "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND datname LIKE '{}\\_\\_br\\_%'",
            db.name
        ));
        if running == ["1"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the rehearsal never ran the statement"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(rehearsal_branches().len(), 1);
    let started = Instant::now();
    // SAFETY: kill(2) on our child, not yet reaped.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().expect("wait");
    let r = Run::from_output(out, "migrate --rehearse (SIGINT)");
    r.code(1)
        .stderr_has("interrupted by SIGINT: the rehearsal branch was deleted");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it did not wait for the statement"
    );
    assert!(rehearsal_branches().is_empty());
    assert!(copies(&db).is_empty(), "{:?}", copies(&db));
    assert_eq!(db.history(), ["1"]);
}

#[test]
fn an_api_that_cannot_be_reached_or_refuses_the_key_is_named_and_nothing_changes() {
    let _one = one_at_a_time();
    let db = TestDb::new("rh_api");
    let m = Migrations::new(&[("V1__t.sql", "CREATE TABLE t (id int);\n")]);
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = neonops(&db, &m)
        .env("NEON_API_HOST", format!("http://127.0.0.1:{closed}/api/v2"))
        .args(["--rehearse", "--json"])
        .run();
    r.code(3)
        .stderr_has("could not reach the Neon API at http://127.0.0.1:");
    let e: ErrorReport = r.json();
    assert_eq!(e.exit_code, 3);

    let wrong = "napi_not_the_key_0123456789";
    neonops(&db, &m)
        .env("NEON_API_KEY", wrong)
        .args(["--rehearse", "-vvv"])
        .run()
        .code(2)
        .stderr_has("the Neon API refused the key (HTTP 401")
        .lacks(wrong);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg(), "--rehearse"])
        .run()
        .code(2)
        .stderr_has("no Neon API key: set NEON_API_KEY");
    assert!(db.history().is_empty());
    assert!(
        db.column("SELECT to_regclass('t')::text")
            .iter()
            .all(String::is_empty)
    );
    assert!(rehearsal_branches().is_empty());
}

#[test]
fn the_api_key_is_never_printed() {
    let _one = one_at_a_time();
    let db = TestDb::new("rh_secret");
    let m = Migrations::new(&[("V1__t.sql", "CREATE TABLE t (id int);\n")]);
    let key = key();
    // The sandbox's role password travels in the branch's URI: never shown either.
    let passfile = std::fs::read_to_string(&sandbox().passfile).expect("passfile");
    let password = passfile
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.splitn(5, ':').collect();
            (f.len() == 5 && f[3] == sandbox().role).then(|| f[4].to_string())
        })
        .expect("the role's password");
    for extra in [
        &["-vvv"][..],
        &["--json", "-vvv"],
        &["--apply", "--json", "-vvv"],
    ] {
        rehearse(&db, &m, extra)
            .code(0)
            .stderr_has("rehearsing 1 migration(s)")
            .lacks(&key)
            .lacks(&password);
    }
    assert_eq!(db.history(), ["1"]);
}

#[test]
fn an_environment_that_requires_a_rehearsal_refuses_a_plain_migrate() {
    let _one = one_at_a_time();
    let db = TestDb::new("rh_required");
    let m = Migrations::new(&[("V1__t.sql", "CREATE TABLE t (id int);\n")]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!(
            "[environments.prod]\ndatabase_url = \"{}\"\nrequire_rehearsal = true\n",
            db.pooled_url()
        ),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        Neonops::new()
            .sandbox()
            .cwd(dir.path())
            .env("NEON_API_HOST", api_url())
            .env("NEON_API_KEY", key())
            .args(["migrate", "--env", "prod", "--dir", &m.arg()])
            .args(extra)
            .run()
    };
    run(&[])
        .code(2)
        .stderr_has("requires a rehearsal")
        .stderr_has("--rehearse --apply");
    run(&["--yes"]).code(2);
    assert!(db.history().is_empty());
    run(&["--plan"]).code(0);
    run(&["--rehearse"]).code(0);
    assert!(db.history().is_empty());
    run(&["--rehearse", "--apply"]).code(0);
    assert_eq!(db.history(), ["1"]);
}

#[test]
fn the_branch_limit_is_named_with_its_fix() {
    let _one = one_at_a_time();
    let db = TestDb::new("rh_limit");
    let m = Migrations::new(&[("V1__t.sql", "CREATE TABLE t (id int);\n")]);
    let api = api();
    let project = project();
    let main = api
        .branches(&project)
        .unwrap()
        .into_iter()
        .find(|b| b.default)
        .unwrap();
    let expires =
        humantime::format_rfc3339_seconds(std::time::SystemTime::now() + Duration::from_secs(600))
            .to_string();
    let mut made = Vec::new();
    // Fill the project up (the sandbox allows 10 branches), each creation
    // right after the last: the API answers 423 while one is being made,
    // and the client waits and retries.
    let limit = loop {
        let name = format!("filler-{}", made.len());
        match api.create_branch(
            &project,
            &NewBranch {
                parent_id: &main.id,
                name: &name,
                expires_at: &expires,
                compute: None,
            },
        ) {
            Ok(c) => made.push(c.branch.id),
            Err(neonops::neon_api::ApiError::BranchLimit { .. }) => break made.len() + 1,
            Err(e) => panic!("creating a filler branch: {e}"),
        }
        assert!(made.len() < 50, "no branch limit");
    };
    assert_eq!(limit, 10);
    let log = std::fs::read_to_string(sandbox().dir.join("api.log")).unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("POST") && l.ends_with(" 423")),
        "back-to-back creations met no 423"
    );
    let r = rehearse(&db, &m, &[]);
    for id in &made {
        let mut tries = 0;
        while let Err(e) = api.delete_branch(&project, id) {
            tries += 1;
            assert!(tries < 5, "deleting {id}: {e}");
        }
    }
    r.code(1)
        .stderr_has("as many branches as its plan allows")
        .stderr_has("BRANCHES_LIMIT_EXCEEDED")
        .stderr_has("delete a branch you no longer need");
    assert!(db.history().is_empty());
    assert!(rehearsal_branches().is_empty());
}

/// Two live tables, as the diff tests have them, with enough rows that a
/// scan is seen in `pg_locks`.
const LIVE_TABLES: &str = "CREATE TABLE accounts (id bigint PRIMARY KEY, email text, n int);
CREATE INDEX accounts_n ON accounts (n);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, total int);
";

#[test]
fn a_diff_plan_written_as_migrations_holds_only_the_locks_its_online_forms_promise() {
    let _one = one_at_a_time();
    let rows = 300_000;
    let live = TestDb::new("rh_online");
    let m = Migrations::new(&[(
        "V1__tables.sql",
        &format!(
            "{LIVE_TABLES}INSERT INTO accounts SELECT i, 'user' || i || '@example.com', i % 100 FROM generate_series(1, {rows}) i;\nINSERT INTO orders SELECT i, i, i FROM generate_series(1, {rows}) i;\n"
        ),
    )]);
    Neonops::new()
        .db(&live)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0);
    let target = TestDb::new("rh_online_to");
    target.exec(LIVE_TABLES);
    target.exec(
        "CREATE INDEX accounts_email ON accounts (email);
         ALTER TABLE orders ADD CONSTRAINT orders_account FOREIGN KEY (account_id) REFERENCES accounts (id);
         ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);
         ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
         ALTER TABLE orders ALTER COLUMN total SET NOT NULL;",
    );
    Neonops::new()
        .db(&live)
        .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
        .args(["diff", "--from", "live", "--to", &target.direct_url()])
        .args(["--write", "online", "--dir", &m.arg()])
        .run()
        .code(0);
    let rep: RehearsalReport = rehearse(&live, &m, &["--json"]).code(0).json();
    assert_eq!(rep.migrations, ["V2__online", "V3__online_online"]);
    let seen = |s: &crate::json::Rehearsed| {
        s.locks
            .iter()
            .map(|l| format!("{} {}", l.mode, l.relation))
            .collect::<Vec<_>>()
    };
    let mut scans = 0;
    for s in &rep.statements {
        let sql = s.statement.as_str();
        let scans_table = sql.starts_with("CREATE") && sql.contains(" CONCURRENTLY ")
            || sql.contains(" VALIDATE CONSTRAINT ");
        if scans_table {
            scans += 1;
            // What reads the whole table lets writes through, as pg_locks
            // shows while it runs.
            assert!(!s.locks.is_empty(), "no lock seen for {sql}: {s:?}");
            for l in &s.locks {
                assert!(
                    !l.blocks_writes,
                    "{sql} holds {} on {} ({} ms)",
                    l.mode, l.relation, l.held_ms
                );
            }
            assert!(
                s.locks.iter().any(|l| l.mode == "SHARE_UPDATE_EXCLUSIVE"),
                "{sql}: {:?}",
                seen(s)
            );
        }
        // Nothing rewrites a table.
        assert!(s.rewrote.is_empty(), "{sql} rewrote {:?}", s.rewrote);
    }
    // Two indexes built concurrently (one behind the unique constraint),
    // two constraints and the NOT NULL's check validated.
    assert_eq!(scans, 5, "{:#?}", rep.statements);
    // What blocks writes is the catalog-only steps: the constraints added
    // NOT VALID, the unique constraint over its built index, SET NOT NULL
    // over a validated check.
    for s in rep
        .statements
        .iter()
        .filter(|s| s.locks.iter().any(|l| l.blocks_writes))
    {
        // The statement whole (the report shortens it), from its file.
        let text = std::fs::read_to_string(m.path().join(&s.file)).expect("the file");
        let sql: String = text.lines().skip(s.line - 1).collect::<Vec<_>>().join("\n");
        let sql = sql.split(';').next().unwrap_or_default();
        assert!(
            sql.contains(" NOT VALID")
                || sql.contains(" USING INDEX ")
                || sql.ends_with("SET NOT NULL")
                || sql.contains(" DROP CONSTRAINT "),
            "{sql} blocks writes: {:?}",
            seen(s)
        );
    }
    // Applied for real, the plan makes the two the same.
    neonops(&live, &m).run().code(0);
    Neonops::new()
        .db(&live)
        .env("NEONOPS_SANDBOX_DIR", &sandbox().dir)
        .args([
            "diff",
            "--exit-code",
            "--from",
            "live",
            "--to",
            &target.direct_url(),
        ])
        .args(["--dir", &m.arg()])
        .run()
        .code(0);
}

#[test]
fn a_rehearsal_killed_with_kill_9_leaves_a_branch_the_next_one_names_with_its_fix() {
    let _one = one_at_a_time();
    let db = TestDb::new("rh_kill9");
    let m = Migrations::new(&[
        ("V1__t.sql", "CREATE TABLE t (id int);\n"),
        ("V2__slow.sql", "SELECT pg_sleep(60);\n"),
    ]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--target", "1", "--dir", &m.arg()])
        .run()
        .code(0);
    let mut child = neonops(&db, &m).args(["--rehearse"]).spawn();
    let deadline = Instant::now() + Duration::from_secs(60);
    while rehearsal_branches().is_empty() {
        assert!(Instant::now() < deadline, "no branch was made");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = rehearsal_branches();
    assert_eq!(left.len(), 1, "kill -9 runs no guard: {left:?}");
    // doctor, with the key, names it with its fix.
    let d = Neonops::new()
        .db(&db)
        .env("NEON_API_HOST", api_url())
        .env("NEON_API_KEY", key())
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args(["--json", "doctor"])
        .run();
    let v: serde_json::Value = d.json();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "rehearsal branches")
        .unwrap_or_else(|| panic!("no rehearsal branches finding: {v}"));
    assert_eq!(f["status"], "warn", "{f}");
    assert!(f["detail"].as_str().unwrap().contains(&left[0]), "{f}");
    assert!(
        f["fix"].as_str().unwrap().contains("neon branches delete"),
        "{f}"
    );
    // The next rehearsal names it, with how to delete it.
    let quick = Migrations::new(&[
        ("V1__t.sql", "CREATE TABLE t (id int);\n"),
        ("V2__u.sql", "CREATE TABLE u (id int);\n"),
    ]);
    let r = rehearse(&db, &quick, &[]);
    r.code(0)
        .stderr_has(&left[0])
        .stderr_has("left from an earlier rehearsal")
        .stderr_has("neon branches delete");
    // Its own branch is gone; the one left is deleted here, as the note says.
    let api = api();
    let p = project();
    for b in api.branches(&p).unwrap().into_iter().filter(|b| !b.default) {
        api.delete_branch(&p, &b.id).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while !rehearsal_branches().is_empty() {
        assert!(Instant::now() < deadline, "{:?}", rehearsal_branches());
        std::thread::sleep(Duration::from_millis(100));
    }
}
