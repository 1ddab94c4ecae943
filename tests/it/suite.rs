//! Public suites of before/after schema cases, each case run through the
//! binary as a user would: both schemas built on two fresh databases, a
//! row seeded in every table of the first, `neonops diff --from first --to
//! second` run by psql on the first, then `neonops diff --exit-code` must
//! find them equal and the rows must still be there.
//!
//! - pgschema's cases (tests/data/pgschema, Apache-2.0): `old.sql` to
//!   `new.sql` and back, after `setup.sql`.
//! - migra's fixtures (tests/data/migra, Unlicense): `a.sql` to `b.sql`
//!   and back, `b.sql` to `a.sql`.
//! - apgdiff's cases (tests/data/apgdiff, MIT): `a.sql` to `b.sql` and
//!   back, old pg_dump output made to run on a fresh PostgreSQL 15 database.
//! - four real projects' schemas at two commits (tests/data/structure,
//!   each with its licence), both ways.
//! - sqldef's cases (tests/data/sqldef, MIT): `current` to `desired` and
//!   back; a corpus kept apart, not developed on.
//!
//! The cases neonops does not pass are listed, with why, in each suite's
//! `unsupported.txt`; one of them that passes fails the test too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::{Neonops, TestDb, block_on, sandbox};

/// Cases run at once.
const WORKERS: usize = 12;

fn root(suite: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(suite)
}

/// One case: its name and the SQL of both sides.
struct Case {
    name: String,
    first: String,
    second: String,
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_default()
}

/// Every directory under `dir` (depth one or two) that holds `marker`.
fn case_dirs(dir: &Path, marker: &str) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for g in std::fs::read_dir(dir).unwrap() {
        let g = g.unwrap().path();
        let name = g.file_name().unwrap().to_string_lossy().to_string();
        if g.join(marker).exists() {
            out.push((name, g));
            continue;
        }
        for c in std::fs::read_dir(&g).into_iter().flatten() {
            let c = c.unwrap().path();
            if c.join(marker).exists() {
                let case = c.file_name().unwrap().to_string_lossy().to_string();
                out.push((format!("{name}/{case}"), c));
            }
        }
    }
    out.sort();
    out
}

/// pgschema's: `group/case`, old to new, and `group/case new->old`, back.
fn pgschema() -> Vec<Case> {
    case_dirs(&root("pgschema").join("cases"), "old.sql")
        .into_iter()
        .flat_map(|(name, d)| {
            let setup = read(&d, "setup.sql");
            let (old, new) = (
                format!("{setup}\n{}", read(&d, "old.sql")),
                format!("{setup}\n{}", read(&d, "new.sql")),
            );
            [
                Case {
                    name: format!("{name} new->old"),
                    first: new.clone(),
                    second: old.clone(),
                },
                Case {
                    name,
                    first: old,
                    second: new,
                },
            ]
        })
        .collect()
}

/// `case a->b` and `case b->a` of each `a.sql` and `b.sql` under `dir`.
fn both_ways(dir: &Path) -> Vec<Case> {
    case_dirs(dir, "a.sql")
        .into_iter()
        .flat_map(|(name, d)| {
            let (a, b) = (read(&d, "a.sql"), read(&d, "b.sql"));
            [
                Case {
                    name: format!("{name} a->b"),
                    first: a.clone(),
                    second: b.clone(),
                },
                Case {
                    name: format!("{name} b->a"),
                    first: b,
                    second: a,
                },
            ]
        })
        .collect()
}

/// apgdiff's cases, both ways: their `CREATE LANGUAGE plpgsql` and `CREATE
/// SCHEMA public` (pg_dump of old versions) made to run where both exist.
fn apgdiff() -> Vec<Case> {
    let fix = |sql: &str| -> String {
        sql.lines()
            .map(|l| {
                let u = l.to_uppercase();
                let u = u.trim_end_matches(';').trim();
                if u.ends_with("LANGUAGE PLPGSQL") && u.starts_with("CREATE")
                    || u == "CREATE EXTENSION PLPGSQL"
                {
                    "CREATE EXTENSION IF NOT EXISTS plpgsql;".to_string()
                } else if u == "CREATE SCHEMA PUBLIC" {
                    "CREATE SCHEMA IF NOT EXISTS public;".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    both_ways(&root("apgdiff").join("cases"))
        .into_iter()
        .map(|c| Case {
            first: fix(&c.first),
            second: fix(&c.second),
            ..c
        })
        .collect()
}

/// `case<TAB>why` lines.
fn unsupported(suite: &str) -> BTreeMap<String, String> {
    std::fs::read_to_string(root(suite).join("unsupported.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (c, why) = l.split_once('\t').unwrap_or((l, ""));
            (c.trim().to_string(), why.trim().to_string())
        })
        .collect()
}

fn admin_url(db: &TestDb) -> String {
    let s = sandbox();
    s.url_with(&s.direct_host, &s.admin_role, &db.name)
}

/// Who runs `neonops diff`: the admin that built both schemas, or a role
/// that owns nothing and may only log in (no USAGE on any schema but
/// public, no SELECT on any table, not a superuser).
#[derive(Clone, Copy, PartialEq)]
enum Differ {
    Admin,
    Reader,
}

const READER: &str = "suite_reader";
const READER_PW: &str = "suite-reader-pw";

impl Differ {
    fn url(self, db: &TestDb) -> String {
        match self {
            Differ::Admin => admin_url(db),
            Differ::Reader => {
                let s = sandbox();
                s.url_with(&s.direct_host, &format!("{READER}:{READER_PW}"), &db.name)
            }
        }
    }
}

/// The reader role, on the shared server.
fn reader_role() {
    let setup = TestDb::new("suite_reader_role");
    psql(
        &setup,
        &format!(
            "DO $$ BEGIN CREATE ROLE {READER} LOGIN PASSWORD '{READER_PW}' NOSUPERUSER NOCREATEDB NOCREATEROLE; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
        ),
    )
    .expect("the reader role");
}

/// psql as the sandbox's admin (the cases create roles); its first error.
fn psql(db: &TestDb, sql: &str) -> Result<(), String> {
    crate::harness::psql(&admin_url(db), sql).map_err(|e| {
        e.lines()
            .find(|l| l.contains("ERROR"))
            .unwrap_or("psql failed")
            .to_string()
    })
}

/// Rows of one query, as the admin.
fn rows(db: &TestDb, sql: &str) -> Vec<Vec<String>> {
    let s = sandbox();
    let (name, sql) = (db.name.clone(), sql.to_string());
    std::thread::scope(|t| {
        t.spawn(move || {
            block_on(async {
                let c = s.connect_admin(&name).await.expect("admin");
                let mut out = Vec::new();
                for m in c.simple_query(&sql).await.unwrap_or_default() {
                    if let tokio_postgres::SimpleQueryMessage::Row(r) = m {
                        out.push(
                            (0..r.len())
                                .map(|i| r.get(i).unwrap_or("").to_string())
                                .collect(),
                        );
                    }
                }
                out
            })
        })
        .join()
        .unwrap()
    })
}

const TABLES: &str = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1";

/// A row in every table that takes one with its defaults; how many each has.
fn seed(db: &TestDb) -> BTreeMap<String, String> {
    for t in rows(db, TABLES) {
        let _ = psql(db, &format!("INSERT INTO {} DEFAULT VALUES;", t[0]));
    }
    counts(db)
}

fn counts(db: &TestDb) -> BTreeMap<String, String> {
    rows(db, TABLES)
        .into_iter()
        .map(|t| {
            let n = rows(db, &format!("SELECT count(*)::text FROM ONLY {}", t[0]));
            (t[0].clone(), n[0][0].clone())
        })
        .collect()
}

/// Whether a plan stopped, rightly, because the row seeded with its
/// defaults holds NULL in a column the second schema makes NOT NULL
/// (which value to backfill is the user's decision).
fn stopped_by_seeded_null(error: &str) -> bool {
    error.contains("contains null values")
        || (error.contains("_not_null_neonops\" of relation") && error.contains("is violated"))
}

/// One case: Ok, or what went wrong. A plan stopped by the seeded row's
/// NULL is run again without rows, and must then converge.
fn run_case(tag: &str, i: usize, case: &Case, by: Differ) -> Result<(), String> {
    match run_case_seeded(tag, i, case, true, by) {
        Err(e) if stopped_by_seeded_null(&e) => {
            run_case_seeded(tag, i, case, false, by).map_err(|e2| format!("{e2} (with a row: {e})"))
        }
        r => r,
    }
}

fn run_case_seeded(tag: &str, i: usize, case: &Case, rows: bool, by: Differ) -> Result<(), String> {
    let (a, b) = (
        TestDb::new(&format!("{tag}{i}_from")),
        TestDb::new(&format!("{tag}{i}_to")),
    );
    psql(&a, &case.first).map_err(|e| format!("the first schema does not build: {e}"))?;
    psql(&b, &case.second).map_err(|e| format!("the second schema does not build: {e}"))?;
    let seeded = if rows { seed(&a) } else { BTreeMap::new() };
    let diff = |from: &TestDb, to: &TestDb, extra: &[&str]| {
        Neonops::new()
            .sandbox()
            .args(["diff", "--from", &by.url(from), "--to", &by.url(to)])
            .args(extra)
            .run()
    };
    let plan = diff(&a, &b, &[]);
    if plan.code != 0 {
        return Err(format!("diff exited {}: {}", plan.code, plan.stderr.trim()));
    }
    // The reader sees what the owner sees: the same plan, no note. (Not
    // where default privileges are set: a plan makes up for the default
    // privileges of the role that diffs, as the one that will run it.)
    let defaults = |sql: &str| sql.to_uppercase().contains("DEFAULT PRIVILEGES");
    if by == Differ::Reader && !defaults(&case.first) && !defaults(&case.second) {
        let theirs = Neonops::new()
            .sandbox()
            .args(["diff", "--from", &admin_url(&a), "--to", &admin_url(&b)])
            .run();
        let body = |s: &str| -> String {
            s.lines()
                .filter(|l| !l.starts_with("-- from:") && !l.starts_with("-- to:"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if body(&plan.stdout) != body(&theirs.stdout) {
            return Err(format!(
                "the reader's plan differs from the admin's:\n{}\n---\n{}",
                plan.stdout, theirs.stdout
            ));
        }
    }
    psql(&a, &plan.stdout).map_err(|e| format!("the plan fails: {e}"))?;
    let again = diff(&a, &b, &["--exit-code", "--json"]);
    if again.code != 0 {
        let j: serde_json::Value = serde_json::from_str(&again.stdout).unwrap_or_default();
        let left: Vec<String> = j["differences"]
            .as_array()
            .map(|d| {
                d.iter()
                    .map(|x| format!("{} {} {}", x["kind"], x["name"], x["change"]))
                    .collect()
            })
            .unwrap_or_default();
        return Err(format!("does not converge: {}", left.join(", ")));
    }
    let after = counts(&a);
    for (t, n) in &seeded {
        if let Some(m) = after.get(t)
            && m != n
        {
            return Err(format!("{t} had {n} row(s), has {m} after the plan"));
        }
    }
    Ok(())
}

/// Every case of one suite, `WORKERS` at a time: the failures that are
/// not listed in its `unsupported.txt`, and the listed cases that pass.
fn run_suite(suite: &str, tag: &str, all: Vec<Case>) {
    run_suite_as(suite, tag, all, Differ::Admin)
}

/// `run_suite`, the diffs run by `by`: the same cases must pass.
fn run_suite_as(suite: &str, tag: &str, all: Vec<Case>, by: Differ) {
    let names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    let mut known = unsupported(suite);
    if by == Differ::Reader {
        known.extend(unsupported(&format!("{suite}/reader")));
    }
    for k in known.keys() {
        assert!(
            names.contains(&k.as_str()),
            "{suite}/unsupported.txt names {k}, which is not a case"
        );
    }
    let results: Vec<(String, Result<(), String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let all = &all;
                s.spawn(move || {
                    all.iter()
                        .enumerate()
                        .filter(|(i, _)| i % WORKERS == w)
                        .map(|(i, c)| (c.name.clone(), run_case(tag, i, c, by)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut wrong = Vec::new();
    let mut passed = 0;
    for (case, r) in &results {
        match (r, known.get(case)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => wrong.push(format!(
                "{case}: passes now: take it out of unsupported.txt"
            )),
            (Err(e), None) => wrong.push(format!("{case}: {e}")),
            (Err(_), Some(_)) => {}
        }
    }
    if let Ok(dir) = std::env::var("NEONOPS_SUITE_REPORT") {
        let lines: Vec<String> = results
            .iter()
            .map(|(c, r)| match r {
                Ok(()) => format!("{c}\tok"),
                Err(e) => format!("{c}\t{}", e.replace(['\n', '\t'], " ")),
            })
            .collect();
        std::fs::write(
            Path::new(&dir).join(format!("{suite}.txt")),
            lines.join("\n"),
        )
        .unwrap();
    }
    wrong.sort();
    assert!(
        wrong.is_empty(),
        "{suite}: {passed} of {} cases pass; {} wrong:\n{}",
        results.len(),
        wrong.len(),
        wrong.join("\n")
    );
}

/// Roles the suites' schemas grant to or own with, on the shared server.
fn roles(tag: &str, names: &[&str]) {
    let setup = TestDb::new(&format!("{tag}_roles"));
    for r in names {
        let r = format!("\"{}\"", r.replace('"', "\"\""));
        psql(
            &setup,
            &format!(
                "DO $$ BEGIN CREATE ROLE {r}; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
            ),
        )
        .expect("a role for the suite");
    }
}

#[test]
fn pgschemas_cases_converge_both_ways_with_their_rows_except_those_listed() {
    let all = pgschema();
    assert!(all.len() > 300, "{} cases", all.len());
    // pgschema's own harness runs the cases as the role testuser.
    roles("pgs", &["testuser"]);
    run_suite("pgschema", "pgs", all);
}

/// Objects owned by another role, schemas the differ has no USAGE on: a
/// role that may only log in diffs as the owner does.
#[test]
fn migras_and_pgschemas_cases_converge_when_a_role_that_owns_nothing_diffs() {
    reader_role();
    roles("rmig", &["postgres", "schemainspect_test_role"]);
    roles("rpgs", &["testuser"]);
    run_suite_as(
        "migra",
        "rmig",
        both_ways(&root("migra").join("cases")),
        Differ::Reader,
    );
    run_suite_as("pgschema", "rpgs", pgschema(), Differ::Reader);
}

#[test]
fn migras_fixtures_converge_both_ways_with_their_rows_except_those_listed() {
    let all = both_ways(&root("migra").join("cases"));
    assert_eq!(all.len(), 52, "26 fixtures, both ways");
    // migra's fixtures grant to these.
    roles("mig", &["postgres", "schemainspect_test_role"]);
    run_suite("migra", "mig", all);
}

#[test]
fn apgdiffs_cases_converge_both_ways_with_their_rows_except_those_listed() {
    let all = apgdiff();
    assert_eq!(all.len(), 248, "124 cases, both ways");
    roles(
        "apg",
        &[
            "postgres",
            "fordfrog",
            "dv",
            "krioweb2",
            "intranet",
            "asi",
            "anonymous",
            "admin",
            "webuser",
            "manager",
            "customer",
        ],
    );
    run_suite("apgdiff", "apg", all);
}

#[test]
fn real_projects_schemas_converge_between_two_commits_both_ways() {
    let mut all = both_ways(&root("structure"));
    // And the newer one made from nothing, and taken down to nothing.
    for (name, dir) in case_dirs(&root("structure"), "b.sql") {
        let b = read(&dir, "b.sql");
        all.push(Case {
            name: format!("{name} nothing->b"),
            first: String::new(),
            second: b.clone(),
        });
        all.push(Case {
            name: format!("{name} b->nothing"),
            first: b,
            second: String::new(),
        });
    }
    assert_eq!(all.len(), 16, "4 projects, both ways, from and to nothing");
    // PostgREST's test schema grants to these.
    roles(
        "real",
        &[
            "postgrest_test_anonymous",
            "postgrest_test_default_role",
            "postgrest_test_author",
        ],
    );
    run_suite("structure", "real", all);
}

#[test]
fn sqldefs_cases_converge_both_ways_with_their_rows_except_those_listed() {
    let all = both_ways(&root("sqldef").join("cases"));
    assert_eq!(all.len(), 2 * 827, "827 cases, both ways");
    // sqldef's harness runs as postgres and creates these roles first.
    roles(
        "sqd",
        &[
            "postgres",
            "readonly_user",
            "app_user",
            "admin_role",
            "user-with-dash",
            "user.with.dot",
            "user with spaces",
            "CamelCaseUser",
            "UPPERCASE_USER",
            "user1",
            "user2",
            "user3",
            "user4",
            "My User",
            "reader",
            "writer",
            "admin",
            "reader1",
            "reader2",
            "writer1",
            "writer2",
            "role1",
            "role2",
            "power_user",
            "user@domain.com",
        ],
    );
    run_suite("sqldef", "sqd", all);
}
