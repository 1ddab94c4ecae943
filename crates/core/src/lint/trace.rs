//! Tracing: what the statements really lock. Each statement of each file is
//! run on a throwaway database inside its migration's transaction (the
//! statements before it replayed first); right after it, its own backend's
//! `pg_locks` and the relations whose relfilenode changed (rewrites) are
//! read, then the transaction is rolled back. Once a file is traced it is
//! applied, so that the next file finds what it expects. The report puts the
//! traced locks beside the static claims and flags every disagreement.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde::Serialize;
use tokio_postgres::Client;

use super::{Analysis, Analyzed, Claim, LintFile, LockMode};
use crate::sql::Statement;

#[derive(Debug, Clone, Serialize)]
pub struct Traced {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    /// What the static analysis says.
    pub claimed: Vec<Claim>,
    pub claimed_rewrite: bool,
    /// What pg_locks showed (relations that existed before the statement).
    pub observed: Vec<Claim>,
    /// Relations whose relfilenode changed.
    pub rewritten: Vec<String>,
    pub agrees: bool,
    /// Why it was not traced, or what disagrees.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// Where (redacted).
    pub target: String,
    pub statements: Vec<Traced>,
    /// A file that failed to apply, and why: the files after it were not traced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

impl Trace {
    pub fn disagreements(&self) -> usize {
        self.statements.iter().filter(|t| !t.agrees).count()
    }
}

use crate::rows::text as rows;

/// Relation locks this backend holds, by OID (resolved to names with the
/// catalog as it was before the statement: a dropped or renamed table is
/// still found under its old name).
async fn locks(c: &Client) -> Result<BTreeSet<(String, LockMode)>, tokio_postgres::Error> {
    let m = c
        .simple_query(
            "SELECT l.relation::oid::text, l.mode FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .await?;
    Ok(rows(&m)
        .into_iter()
        .filter_map(|r| Some((r[0].clone(), LockMode::from_pg_locks(&r[1])?)))
        .collect())
}

#[derive(Debug, Clone, PartialEq)]
struct Relation {
    name: String,
    kind: String,
    node: String,
}

/// Every user relation (tables, partitioned tables, matviews, indexes) by OID.
async fn relations(c: &Client) -> Result<BTreeMap<String, Relation>, tokio_postgres::Error> {
    let m = c
        .simple_query(
            "SELECT c.oid::text, c.oid::regclass::text, c.relkind::text, c.relfilenode::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm', 'p', 'i', 'I', 'S', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
        )
        .await?;
    Ok(rows(&m)
        .into_iter()
        .map(|r| {
            (
                r[0].clone(),
                Relation {
                    name: r[1].clone(),
                    kind: r[2].clone(),
                    node: r[3].clone(),
                },
            )
        })
        .collect())
}

/// Locks on relations that existed before the statement, named as they
/// were then.
fn held(locks: &BTreeSet<(String, LockMode)>, before: &BTreeMap<String, Relation>) -> Held {
    locks
        .iter()
        .filter_map(|(oid, m)| {
            let r = before.get(oid)?;
            Some((r.name.clone(), *m, r.kind.clone()))
        })
        .collect()
}

type Held = BTreeSet<(String, LockMode, String)>;

/// Compare a statement's claims with the locks after it (`after`) and those
/// it took (`new`, not held before it): each claim must be held after it
/// (an earlier statement of the transaction may have taken it already), and
/// a lock it took that blocks writes on a table must have been claimed, or
/// be covered by a CASCADE's claim on what depends on the objects (`cascaded`).
fn compare(
    claimed: &[Claim],
    after: &Held,
    new: &Held,
    cascaded: &BTreeSet<String>,
) -> Option<String> {
    let mut problems = Vec::new();
    let mut claims: BTreeMap<&str, LockMode> = BTreeMap::new();
    for c in claimed {
        let e = claims.entry(&c.table).or_insert(c.mode);
        if c.mode > *e {
            *e = c.mode;
        }
    }
    let strongest_new = |t: &str| {
        new.iter()
            .filter(|(r, ..)| r == t)
            .map(|(_, m, _)| *m)
            .max()
    };
    // System catalogs (a migration that updates pg_index) are left out of
    // the trace, as they are of the claims' comparison.
    for (t, m) in claims.iter().filter(|(t, _)| !super::is_catalog(t)) {
        if !after.iter().any(|(r, mode, _)| r == t && mode == m) {
            problems.push(match strongest_new(t) {
                Some(s) => format!("{t}: claimed {}, traced {}", m.name(), s.name()),
                None => format!("{t}: claimed {}, not traced", m.name()),
            });
        }
    }
    let mut tables: Vec<&str> = new
        .iter()
        .filter(|(r, m, kind)| {
            m.blocks_writes() && matches!(kind.as_str(), "r" | "p" | "m") && !cascaded.contains(r)
        })
        .map(|(r, ..)| r.as_str())
        .collect();
    tables.dedup();
    for t in tables {
        let s = strongest_new(t).expect("a lock on it");
        if claims.get(t).is_none_or(|m| *m < s) {
            problems.push(format!("{t}: traced {}, not claimed", s.name()));
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// Trace the files on `c` (a database brought to the state before them).
/// Each file's claims are made with the catalog and the version of this
/// database as the file finds it (the earlier files applied): the static
/// analysis knows an index's table only from a database, so that DROP
/// INDEX is claimed on both. `analysis` (the lint's own) lists the files
/// that are not traced.
pub async fn trace_files(
    c: &Client,
    files: &[LintFile<'_>],
    analysis: &Analysis,
    settings: &super::Settings,
    target: String,
) -> Result<Trace> {
    let mut out = Vec::new();
    let mut stopped = None;
    for (i, f) in files.iter().enumerate() {
        let Ok(statements) = crate::sql::parse(f.sql) else {
            continue;
        };
        let claims = super::analyze_with_database(c, std::slice::from_ref(f), settings).await?;
        let analyzed: Vec<&Analyzed> = claims
            .statements_analyzed
            .iter()
            .filter(|a| a.file == f.name)
            .collect();
        for (k, s) in statements.iter().enumerate() {
            let Some(a) = analyzed
                .iter()
                .find(|a| a.line == s.line && a.column == s.column)
            else {
                continue;
            };
            let t = Traced::claimed(a, s.head());
            out.push(
                if f.no_transaction || a.effect.outside_transaction.is_some() {
                    t.untraced("it runs outside a transaction")
                } else {
                    trace(c, &statements[..k], s, a, t).await?
                },
            );
        }
        // Apply the file, so the next one finds what it expects.
        if let Err(e) = apply(c, f, &statements).await {
            let _ = c.simple_query("ROLLBACK").await;
            let why = format!(
                "{} failed to apply: {}",
                f.name,
                crate::connect::error::db_message(&e)
            );
            // The files after it are not traced: they expect what it makes.
            for later in &files[i + 1..] {
                out.extend(
                    analysis
                        .statements_analyzed
                        .iter()
                        .filter(|a| a.file == later.name)
                        .map(|a| Traced::claimed(a, a.statement.clone()).untraced(&why)),
                );
            }
            stopped = Some(why);
            break;
        }
    }
    Ok(Trace {
        target,
        statements: out,
        stopped,
    })
}

impl Traced {
    /// A statement with what the analysis claims of it, not traced yet.
    fn claimed(a: &Analyzed, statement: String) -> Traced {
        Traced {
            file: a.file.clone(),
            line: a.line,
            column: a.column,
            statement,
            claimed: a.effect.locks.clone(),
            claimed_rewrite: !a.effect.rewrites.is_empty() || !a.effect.truncates.is_empty(),
            observed: Vec::new(),
            rewritten: Vec::new(),
            agrees: true,
            note: None,
        }
    }

    fn untraced(self, why: &str) -> Traced {
        Traced {
            note: Some(format!("not traced: {why}")),
            ..self
        }
    }
}

/// Run `s` in a transaction after the statements `before` it, read the
/// locks it took and the relations it rewrote, roll back, and compare with
/// what is claimed.
async fn trace(
    c: &Client,
    before: &[Statement],
    s: &Statement,
    a: &Analyzed,
    mut t: Traced,
) -> Result<Traced> {
    c.simple_query("BEGIN").await?;
    for prev in before {
        if let Err(e) = c.simple_query(&prev.text).await {
            let _ = c.simple_query("ROLLBACK").await;
            return Ok(t.untraced(&format!(
                "a statement before it failed: {}",
                crate::connect::error::db_message(&e)
            )));
        }
    }
    let before_rels = relations(c).await?;
    let before_locks = held(&locks(c).await?, &before_rels);
    if let Err(e) = c.simple_query(&s.text).await {
        let _ = c.simple_query("ROLLBACK").await;
        return Ok(t.untraced(&format!(
            "it failed: {}",
            crate::connect::error::db_message(&e)
        )));
    }
    let after = held(&locks(c).await?, &before_rels);
    let after_rels = relations(c).await?;
    c.simple_query("ROLLBACK").await?;
    let new: Held = after.difference(&before_locks).cloned().collect();
    // Rewritten: tables and matviews whose storage changed (an index
    // rebuilt is an index build, not a rewrite).
    t.rewritten = before_rels
        .iter()
        .filter(|(oid, r)| {
            matches!(r.kind.as_str(), "r" | "m" | "p")
                && after_rels.get(*oid).is_some_and(|a| a.node != r.node)
        })
        .map(|(_, r)| r.name.clone())
        .collect();
    t.observed = observed(&t.claimed, &new, &after);
    // CASCADE claims ACCESS EXCLUSIVE on whatever depends on the
    // objects (dropped views, the tables of dropped triggers and
    // foreign keys): every lock it took is covered.
    let cascaded: BTreeSet<String> = if a.effect.cascades {
        new.iter().map(|(r, ..)| r.clone()).collect()
    } else {
        BTreeSet::new()
    };
    // A claim on a relation that does not exist (the statement ran: IF
    // EXISTS) has nothing to lock: that agrees.
    let (claimed, absent): (Vec<Claim>, Vec<Claim>) = t.claimed.iter().cloned().partition(|c| {
        before_rels.values().any(|r| r.name == c.table) || super::is_catalog(&c.table)
    });
    let mut problems = compare(&claimed, &after, &new, &cascaded);
    let traced_rewrite = t
        .rewritten
        .iter()
        .any(|r| a.effect.locks.iter().any(|c| &c.table == r));
    if traced_rewrite != t.claimed_rewrite {
        let p = format!(
            "rewrite: claimed {}, traced {}",
            if t.claimed_rewrite { "yes" } else { "no" },
            if traced_rewrite { "yes" } else { "no" }
        );
        problems = Some(match problems {
            Some(x) => format!("{x}; {p}"),
            None => p,
        });
    }
    t.agrees = problems.is_none();
    t.note = problems.or_else(|| {
        (!absent.is_empty()).then(|| {
            let mut names: Vec<&str> = absent.iter().map(|c| c.table.as_str()).collect();
            names.dedup();
            format!(
                "{} did not exist: nothing to lock (IF EXISTS)",
                names.join(", ")
            )
        })
    });
    Ok(t)
}

/// What is shown as traced: the strongest lock the statement took on each
/// table (and on each relation it claims), and claims found already held.
fn observed(claimed: &[Claim], new: &Held, after: &Held) -> Vec<Claim> {
    let mut shown: BTreeMap<String, LockMode> = BTreeMap::new();
    for (r, m, kind) in new {
        let is_claimed = claimed.iter().any(|c| &c.table == r);
        if is_claimed
            || (matches!(kind.as_str(), "r" | "p" | "m") && *m >= LockMode::ShareUpdateExclusive)
        {
            let e = shown.entry(r.clone()).or_insert(*m);
            if m > e {
                *e = *m;
            }
        }
    }
    for c in claimed {
        if !shown.contains_key(&c.table)
            && after.iter().any(|(r, m, _)| r == &c.table && *m == c.mode)
        {
            shown.insert(c.table.clone(), c.mode);
        }
    }
    shown
        .into_iter()
        .map(|(table, mode)| Claim { table, mode })
        .collect()
}

/// Apply a traced file: in its transaction, or statement by statement.
async fn apply(
    c: &Client,
    f: &LintFile<'_>,
    statements: &[Statement],
) -> Result<(), tokio_postgres::Error> {
    if f.no_transaction {
        for s in statements {
            c.simple_query(&s.text).await?;
        }
        Ok(())
    } else {
        c.batch_execute(&format!("BEGIN;\n{}\n;\nCOMMIT;", f.sql))
            .await
    }
}
