//! pgschema's before/after cases (tests/data/pgschema, Apache-2.0), each
//! run through the binary as a user would: `old` and `new` built on two
//! fresh databases, a row seeded in every table of `old`, `neonops diff
//! --from old --to new` run by psql on `old`, then `neonops diff
//! --exit-code` must find them equal and the rows must still be there.
//! The cases neonops does not pass are listed, with why, in
//! `unsupported.txt`; one of them that passes fails the test too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::{Neonops, TestDb, block_on, sandbox};

/// Cases run at once.
const WORKERS: usize = 12;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pgschema")
}

/// Every case directory, as `group/case`.
fn cases() -> Vec<String> {
    let mut out = Vec::new();
    for g in std::fs::read_dir(root().join("cases")).unwrap() {
        let g = g.unwrap().path();
        for c in std::fs::read_dir(&g).unwrap() {
            let c = c.unwrap().path();
            if c.join("old.sql").exists() {
                out.push(format!(
                    "{}/{}",
                    g.file_name().unwrap().to_string_lossy(),
                    c.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    out.sort();
    out
}

/// `case<TAB>why` lines.
fn unsupported() -> BTreeMap<String, String> {
    std::fs::read_to_string(root().join("unsupported.txt"))
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

const TABLES: &str = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1";

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
            let n = rows(db, &format!("SELECT count(*)::text FROM {}", t[0]));
            (t[0].clone(), n[0][0].clone())
        })
        .collect()
}

/// One case: Ok, or what went wrong.
fn run_case(i: usize, case: &str) -> Result<(), String> {
    let dir = root().join("cases").join(case);
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let (setup, old, new) = (read("setup.sql"), read("old.sql"), read("new.sql"));
    let (a, b) = (
        TestDb::new(&format!("pgs{i}_old")),
        TestDb::new(&format!("pgs{i}_new")),
    );
    psql(&a, &format!("{setup}\n{old}")).map_err(|e| format!("old.sql does not build: {e}"))?;
    psql(&b, &format!("{setup}\n{new}")).map_err(|e| format!("new.sql does not build: {e}"))?;
    let seeded = seed(&a);
    let diff = |from: &TestDb, to: &TestDb, extra: &[&str]| {
        Neonops::new()
            .sandbox()
            .args(["diff", "--from", &admin_url(from), "--to", &admin_url(to)])
            .args(extra)
            .run()
    };
    let plan = diff(&a, &b, &[]);
    if plan.code != 0 {
        return Err(format!("diff exited {}: {}", plan.code, plan.stderr.trim()));
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

#[test]
fn pgschemas_cases_converge_with_their_rows_except_those_listed() {
    let all = cases();
    assert!(all.len() > 150, "{} cases", all.len());
    // pgschema's own harness runs the cases as the role testuser.
    let setup = TestDb::new("pgs_roles");
    psql(
        &setup,
        "DO $$ BEGIN CREATE ROLE testuser; EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
    )
    .expect("the role testuser");
    let known = unsupported();
    for k in known.keys() {
        assert!(
            all.contains(k),
            "unsupported.txt names {k}, which is not a case"
        );
    }
    let results: Vec<(String, Result<(), String>)> = std::thread::scope(|s| {
        let chunks: Vec<Vec<(usize, String)>> = (0..WORKERS)
            .map(|w| {
                all.iter()
                    .enumerate()
                    .filter(|(i, _)| i % WORKERS == w)
                    .map(|(i, c)| (i, c.clone()))
                    .collect()
            })
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(i, c)| {
                            let r = run_case(i, &c);
                            (c, r)
                        })
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
    if let Ok(path) = std::env::var("NEONOPS_SUITE_REPORT") {
        let lines: Vec<String> = results
            .iter()
            .map(|(c, r)| match r {
                Ok(()) => format!("{c}\tok"),
                Err(e) => format!("{c}\t{}", e.replace(['\n', '\t'], " ")),
            })
            .collect();
        std::fs::write(path, lines.join("\n")).unwrap();
    }
    wrong.sort();
    assert!(
        wrong.is_empty(),
        "{passed} of {} cases pass; {} wrong:\n{}",
        results.len(),
        wrong.len(),
        wrong.join("\n")
    );
}
