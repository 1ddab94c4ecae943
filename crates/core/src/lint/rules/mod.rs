//! The rules: each statement's effect (its locks, per PostgreSQL's
//! documentation of every ALTER TABLE subcommand and the other DDL, each
//! claim verified by a trace on PostgreSQL 15 in the tests) and the findings
//! a risky one gets, with the safe alternative.

mod alter;
mod ddl;
mod names;
mod session;
mod txn;
mod types;

use crate::lint::Rule;
use pg_query::NodeEnum;
use pg_query::protobuf::{self as pb, ObjectType};

use alter::alter_table;
use ddl::*;
use names::dotted;
pub(super) use names::rel;
pub(super) use txn::Transaction;
pub(super) use types::binary_coercible;

use super::context::{Context, LARGE_BYTES, SMALL_BYTES, SMALL_ROWS, TableInfo};
use super::{Claim, Effect, Finding, LockMode, Severity};
use crate::sql::{Allow, Statement};

use LockMode::*;
/// How bad a long operation on `table` is; `None` when the table is new.
pub(super) fn grade(ctx: &Context, table: &str, offline: Severity) -> Option<Severity> {
    if ctx.is_new(table) {
        return None;
    }
    match ctx.tables.get(table) {
        Some(t) if t.bytes < SMALL_BYTES && t.rows.unwrap_or(0) < SMALL_ROWS => {
            Some(Severity::Info)
        }
        Some(t) if t.bytes < LARGE_BYTES => Some(Severity::Warning),
        Some(_) => Some(Severity::Error),
        None => Some(offline),
    }
}

/// The size, for messages.
pub(super) fn size_note(ctx: &Context, table: &str) -> String {
    match ctx.tables.get(table) {
        Some(TableInfo {
            rows: Some(rows),
            bytes,
        }) => format!(" (~{} rows, {})", thousands(*rows), human_bytes(*bytes)),
        Some(t) => format!(
            " ({}, rows not yet counted by ANALYZE)",
            human_bytes(t.bytes)
        ),
        None if !ctx.online => " (an existing table, of unknown size without a database)".into(),
        None => String::new(),
    }
}

/// 1234567 → 1,234,567
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn human_bytes(b: i64) -> String {
    let b = b as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GB", b / 1024.0 / 1024.0 / 1024.0)
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.0} kB", b / 1024.0)
    }
}

pub(super) struct Draft {
    rule: Rule,
    severity: Severity,
    message: String,
    alternative: Option<String>,
}

pub(super) fn draft(
    rule: Rule,
    severity: Severity,
    message: String,
    alternative: Option<String>,
) -> Draft {
    Draft {
        rule,
        severity,
        message,
        alternative,
    }
}

/// Analyse one statement: its effect, and its findings.
pub(super) fn statement(
    node: &NodeEnum,
    s: &Statement,
    ctx: &mut Context,
    txn: &mut Transaction,
) -> (Effect, Vec<Finding>) {
    let mut e = Effect::default();
    let mut drafts: Vec<Draft> = Vec::new();
    by_kind(node, s, ctx, txn, &mut e, &mut drafts);
    // What PostgreSQL always refuses in a transaction block: one list, shared
    // with the check that refuses such a file before anything is applied.
    if let Some(why) = s.cannot_run_in_transaction() {
        e.outside_transaction = Some(why);
    }
    session::session(node, s, &mut e, &mut drafts);
    // One claim per table and mode (two foreign keys to one table).
    let mut seen = std::collections::HashSet::new();
    e.locks.retain(|c| seen.insert((c.table.clone(), c.mode)));
    // The statement's own table (a foreign key's second table is its own
    // finding); tables created in this run are new and empty: no risk; a
    // view or sequence dropped holds no rows to write.
    let not_a_table = matches!(node, NodeEnum::DropStmt(d) if matches!(
        ObjectType::try_from(d.remove_type),
        Ok(ObjectType::ObjectView | ObjectType::ObjectMatview | ObjectType::ObjectSequence)
    ));
    if let Some(c) = e.strongest()
        && c.mode.blocks_writes()
        && !ctx.is_new(&c.table)
        && !not_a_table
    {
        txn.strong
            .push((c.table.clone(), c.mode, s.line, s.column, s.head()));
    }
    if let Some(why) = e.outside_transaction
        && txn.transactional
    {
        drafts.push(draft(
            Rule::NeedsNoTransaction,
            Severity::Error,
            format!("{why} cannot run inside a transaction block, and this file runs in one: the migration fails when it reaches it"),
            Some(format!("move it to a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\n{};", s.text)),
        ));
    }
    let findings = findings(&e, drafts, s);
    (e, findings)
}

/// What a statement does, by its kind: its locks, rewrites and scans into
/// `e`, its findings' drafts into `drafts`.
fn by_kind(
    node: &NodeEnum,
    s: &Statement,
    ctx: &mut Context,
    txn: &mut Transaction,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    match node {
        // `SET timezone = 'UTC'` (as migrations that change timestamp to
        // timestamptz do, to avoid the rewrite): for the rest of the file.
        NodeEnum::VariableSetStmt(v) if v.name.eq_ignore_ascii_case("timezone") => {
            ctx.timezone_utc = sets_utc(v);
        }
        NodeEnum::CreateFunctionStmt(f) => {
            let (name, volatile) = function_volatility(f);
            *ctx.functions.entry(name).or_insert(volatile) |= volatile;
        }
        NodeEnum::IndexStmt(i) => index(i, ctx, e, drafts),
        NodeEnum::DropStmt(d) => drop(d, ctx, e, drafts),
        NodeEnum::AlterTableStmt(a) => alter_table(a, ctx, e, drafts),
        NodeEnum::RenameStmt(r) => rename(r, ctx, e, drafts),
        NodeEnum::CreateStmt(c) => create_table(c, ctx, e),
        NodeEnum::CreateTableAsStmt(c) => {
            if let Some(into) = c.into.as_ref().and_then(|i| i.rel.as_ref()) {
                e.creates.push(rel(into));
            }
        }
        NodeEnum::ViewStmt(v) => {
            if let Some(r) = &v.view {
                e.creates.push(rel(r));
            }
        }
        NodeEnum::VacuumStmt(v) => vacuum(v, ctx, e, drafts),
        NodeEnum::ClusterStmt(c) => cluster(c, ctx, e, drafts),
        NodeEnum::LockStmt(l) => lock_table(l, ctx, e, drafts),
        NodeEnum::RefreshMatViewStmt(r) => refresh(r, ctx, e, drafts),
        NodeEnum::ReindexStmt(r) => reindex(r, ctx, e, drafts),
        NodeEnum::UpdateStmt(u) => {
            if let Some(rv) = &u.relation {
                writes_rows(rel(rv), s, ctx, e, txn);
            }
        }
        NodeEnum::DeleteStmt(d) => {
            if let Some(rv) = &d.relation {
                writes_rows(rel(rv), s, ctx, e, txn);
            }
        }
        NodeEnum::InsertStmt(i) => {
            if let Some(rv) = &i.relation {
                e.locks.push(claim(&rel(rv), RowExclusive));
                // Held while the rows are written (all of an INSERT … SELECT).
                e.writes_rows.push(rel(rv));
            }
        }
        NodeEnum::TruncateStmt(t) => {
            e.cascades = t.behavior == pb::DropBehavior::DropCascade as i32;
            for r in &t.relations {
                if let Some(NodeEnum::RangeVar(rv)) = &r.node {
                    e.locks.push(claim(&rel(rv), AccessExclusive));
                    e.truncates.push(rel(rv));
                }
            }
        }
        NodeEnum::CreateTrigStmt(t) => {
            if let Some(rv) = &t.relation {
                e.locks.push(claim(&rel(rv), ShareRowExclusive));
            }
        }
        NodeEnum::CommentStmt(c) => {
            if ObjectType::try_from(c.objtype) == Ok(ObjectType::ObjectTable)
                && let Some(NodeEnum::List(l)) = c.object.as_ref().and_then(|o| o.node.as_ref())
            {
                e.locks.push(claim(&dotted(&l.items), ShareUpdateExclusive));
            }
        }
        NodeEnum::AlterEnumStmt(a) if a.old_val.is_empty() && ctx.pg_version < 12 => {
            e.outside_transaction = Some("ALTER TYPE … ADD VALUE (before PostgreSQL 12)");
        }
        _ => {}
    }
}

/// The drafts as findings of the statement, each with its effect.
fn findings(e: &Effect, drafts: Vec<Draft>, s: &Statement) -> Vec<Finding> {
    drafts
        .into_iter()
        .map(|d| {
            let lock = e.strongest().cloned();
            Finding {
                rule: d.rule,
                severity: d.severity,
                file: String::new(),
                line: s.line,
                column: s.column,
                statement: s.head(),
                blocks_reads: lock.as_ref().is_some_and(|l| l.mode.blocks_reads()),
                blocks_writes: lock.as_ref().is_some_and(|l| l.mode.blocks_writes()),
                lock,
                locks: e.locks.clone(),
                rewrite: !e.rewrites.is_empty(),
                scan: !e.scans.is_empty(),
                cascades: e.cascades,
                held: e.duration(),
                message: d.message,
                safe_alternative: d.alternative,
                allowed: None,
            }
        })
        .collect()
}

pub(super) fn claim(table: &str, mode: LockMode) -> Claim {
    Claim {
        table: table.to_string(),
        mode,
    }
}

/// A `-- neonops:allow` without a reason.
pub(super) fn bare_allow(s: &Statement, a: &Allow, file: &str) -> Finding {
    Finding {
        rule: Rule::AllowWithoutReason,
        severity: Severity::Warning,
        file: file.to_string(),
        line: a.line,
        column: 1,
        statement: s.head(),
        lock: None,
        locks: Vec::new(),
        blocks_reads: false,
        blocks_writes: false,
        rewrite: false,
        scan: false,
        cascades: false,
        held: "",
        message: format!(
            "-- neonops:allow {} has no reason, so it allows nothing",
            a.rules.join(", ")
        ),
        safe_alternative: Some(format!(
            "-- neonops:allow {}: <why it is safe here>",
            a.rules.join(", ")
        )),
        allowed: None,
    }
}
