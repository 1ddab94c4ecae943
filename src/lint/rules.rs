//! The rules: each statement's effect (its locks, per PostgreSQL's
//! documentation of every ALTER TABLE subcommand and the other DDL, each
//! claim verified by a trace on PostgreSQL 15 in the tests) and the findings
//! a risky one gets, with the safe alternative.

use pg_query::protobuf::{self as pb, AlterTableType as At, ConstrType, ObjectType};
use pg_query::{NodeEnum, NodeRef};

use super::context::{Context, LARGE_BYTES, SMALL_BYTES, SMALL_ROWS, TableInfo};
use super::{Claim, Effect, Finding, LockMode, Severity};
use crate::sql::{Allow, Statement};

use LockMode::*;

/// Strong locks and backfills seen in one transaction (a transactional file).
pub(super) struct Transaction {
    transactional: bool,
    /// (table, mode, line, column, statement) for locks that block writes.
    strong: Vec<(String, LockMode, usize, usize, String)>,
    /// (table, line, column, statement) of UPDATE/DELETE on existing tables.
    backfills: Vec<(String, usize, usize, String)>,
}

impl Transaction {
    pub(super) fn new(transactional: bool) -> Self {
        Transaction {
            transactional,
            strong: Vec::new(),
            backfills: Vec::new(),
        }
    }

    /// Findings that need the whole transaction.
    pub(super) fn finish(self) -> Vec<Finding> {
        let mut out = Vec::new();
        if !self.transactional {
            return out;
        }
        let mut tables: Vec<&str> = Vec::new();
        for (t, ..) in &self.strong {
            if !tables.contains(&t.as_str()) {
                tables.push(t);
            }
        }
        if tables.len() >= 2
            && let Some((t, mode, line, column, stmt)) =
                self.strong.iter().find(|(t, ..)| t.as_str() == tables[1])
        {
            out.push(Finding {
                rule: "several-strong-locks",
                severity: Severity::Warning,
                file: String::new(),
                line: *line,
                column: *column,
                statement: stmt.clone(),
                lock: Some(Claim {
                    table: t.clone(),
                    mode: *mode,
                }),
                locks: self
                    .strong
                    .iter()
                    .map(|(t, m, ..)| Claim {
                        table: t.clone(),
                        mode: *m,
                    })
                    .collect(),
                blocks_reads: mode.blocks_reads(),
                blocks_writes: true,
                rewrite: false,
                scan: false,
                cascades: false,
                held: "until the migration commits",
                message: format!(
                    "one transaction takes locks that block writes on {} existing tables ({}): each is held until the end, and two runners (or an application) taking them in another order deadlock",
                    tables.len(),
                    tables.join(", ")
                ),
                safe_alternative: Some(
                    "change one table per migration (one file each), so each lock is held only for its own change"
                        .into(),
                ),
                allowed: None,
            });
        }
        if let Some((ddl_table, ddl_mode, ..)) = self.strong.iter().max_by_key(|s| s.1) {
            for (t, line, column, stmt) in &self.backfills {
                out.push(Finding {
                    rule: "backfill-with-ddl",
                    severity: Severity::Warning,
                    file: String::new(),
                    line: *line,
                    column: *column,
                    statement: stmt.clone(),
                    lock: Some(Claim {
                        table: ddl_table.clone(),
                        mode: *ddl_mode,
                    }),
                    locks: vec![Claim {
                        table: ddl_table.clone(),
                        mode: *ddl_mode,
                    }],
                    blocks_reads: ddl_mode.blocks_reads(),
                    blocks_writes: true,
                    rewrite: false,
                    scan: false,
                    cascades: false,
                    held: "while every row of the backfill is changed",
                    message: format!(
                        "this backfill of {t} runs in the transaction of DDL that holds {} on {ddl_table}: the lock is held until the backfill ends",
                        ddl_mode.name()
                    ),
                    safe_alternative: Some(format!(
                        "move the backfill to a migration of its own, after the DDL, and change the rows in batches (e.g. UPDATE {t} SET … WHERE id IN (SELECT id FROM {t} WHERE … LIMIT 10000)) in a file that starts with -- neonops:no-transaction"
                    )),
                    allowed: None,
                });
            }
        }
        out
    }
}

pub(super) fn rel(rv: &pb::RangeVar) -> String {
    if rv.schemaname.is_empty() {
        rv.relname.clone()
    } else {
        format!("{}.{}", rv.schemaname, rv.relname)
    }
}

fn string_of(n: &pb::Node) -> Option<&str> {
    match &n.node {
        Some(NodeEnum::String(s)) => Some(&s.sval),
        _ => None,
    }
}

/// The qualified name of a list of String nodes (`schema.name`).
fn dotted(names: &[pb::Node]) -> String {
    names
        .iter()
        .filter_map(string_of)
        .collect::<Vec<_>>()
        .join(".")
}

/// A type as PostgreSQL's `format_type` would write it (enough to compare).
fn type_text(t: &pb::TypeName) -> String {
    let base = t
        .names
        .iter()
        .filter_map(string_of)
        .rfind(|n| *n != "pg_catalog")
        .unwrap_or("")
        .to_string();
    let base = match base.as_str() {
        "varchar" => "character varying",
        "bpchar" => "character",
        "int4" => "integer",
        "int8" => "bigint",
        "int2" => "smallint",
        "float8" => "double precision",
        "float4" => "real",
        "bool" => "boolean",
        "timestamptz" => "timestamp with time zone",
        "timestamp" => "timestamp without time zone",
        "timetz" => "time with time zone",
        "time" => "time without time zone",
        "varbit" => "bit varying",
        other => other,
    }
    .to_string();
    let mods: Vec<String> = t
        .typmods
        .iter()
        .filter_map(|m| match &m.node {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(pb::a_const::Val::Ival(i)) => Some(i.ival.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let arr = if t.array_bounds.is_empty() { "" } else { "[]" };
    if mods.is_empty() {
        format!("{base}{arr}")
    } else {
        format!("{base}({}){arr}", mods.join(","))
    }
}

fn typmods(t: &str) -> (String, Vec<u32>) {
    match t.split_once('(') {
        Some((base, rest)) => (
            base.trim().to_string(),
            rest.trim_end_matches(')')
                .split(',')
                .filter_map(|m| m.trim().parse().ok())
                .collect(),
        ),
        None => (t.trim().to_string(), Vec::new()),
    }
}

/// Whether changing a column from `old` to `new` needs no rewrite (PostgreSQL
/// checks the values, if at all, without copying rows).
fn binary_coercible(old: &str, new: &str, ctx: &Context) -> bool {
    let (ob, om) = typmods(old);
    let (nb, nm) = typmods(new);
    match (ob.as_str(), nb.as_str()) {
        (a, b) if a == b && om == nm => true,
        ("character varying", "character varying") => {
            nm.is_empty()
                || om
                    .first()
                    .is_some_and(|o| nm.first().is_some_and(|n| n >= o))
        }
        ("character varying", "text") => true,
        ("text", "character varying") => nm.is_empty(),
        ("numeric", "numeric") => {
            nm.is_empty() || (om.len() == 2 && nm.len() == 2 && om[1] == nm[1] && nm[0] >= om[0])
        }
        ("bit varying", "bit varying") => {
            nm.is_empty()
                || om
                    .first()
                    .is_some_and(|o| nm.first().is_some_and(|n| n >= o))
        }
        ("cidr", "inet") => true,
        ("timestamp without time zone", "timestamp with time zone") => {
            ctx.pg_version >= 12 && ctx.timezone_utc
        }
        _ => false,
    }
}

/// Functions whose result changes from row to row.
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setval",
    "txid_current",
    "random_normal",
];

/// Functions known not to be volatile (a default with them is stored once).
const NOT_VOLATILE: &[&str] = &[
    "now",
    "transaction_timestamp",
    "statement_timestamp",
    "current_timestamp",
    "current_date",
    "localtimestamp",
    "lower",
    "upper",
    "concat",
    "coalesce",
    "length",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "to_jsonb",
    "to_json",
    "array_fill",
    "make_interval",
    "to_timestamp",
    "to_char",
    "md5",
    "timezone",
    "date_trunc",
];

enum Volatility {
    NotVolatile,
    Volatile(String),
    Unknown(String),
}

fn volatility(expr: &pb::Node) -> Volatility {
    let Some(n) = &expr.node else {
        return Volatility::NotVolatile;
    };
    let mut unknown = None;
    let mut check = |f: &pb::FuncCall| -> Option<Volatility> {
        let name = f
            .funcname
            .iter()
            .filter_map(string_of)
            .next_back()
            .unwrap_or("")
            .to_ascii_lowercase();
        if VOLATILE.contains(&name.as_str()) {
            return Some(Volatility::Volatile(name));
        }
        if !NOT_VOLATILE.contains(&name.as_str()) {
            unknown.get_or_insert(name);
        }
        None
    };
    if let NodeEnum::FuncCall(f) = n
        && let Some(v) = check(f)
    {
        return v;
    }
    for (r, ..) in n.nodes() {
        if let NodeRef::FuncCall(f) = r
            && let Some(v) = check(f)
        {
            return v;
        }
    }
    match unknown {
        Some(f) => Volatility::Unknown(f),
        None => Volatility::NotVolatile,
    }
}

fn deparse(node: NodeEnum) -> Option<String> {
    let text = std::panic::catch_unwind(move || node.deparse(Default::default()))
        .ok()?
        .ok()?;
    Some(format!("{text};"))
}

/// How bad a long operation on `table` is; `None` when the table is new.
fn grade(ctx: &Context, table: &str, offline: Severity) -> Option<Severity> {
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
fn size_note(ctx: &Context, table: &str) -> String {
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

struct Draft {
    rule: &'static str,
    severity: Severity,
    message: String,
    alternative: Option<String>,
}

fn draft(
    rule: &'static str,
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
    match node {
        // `SET timezone = 'UTC'` (as migrations that change timestamp to
        // timestamptz do, to avoid the rewrite): for the rest of the file.
        NodeEnum::VariableSetStmt(v) if v.name.eq_ignore_ascii_case("timezone") => {
            ctx.timezone_utc = v.kind == pb::VariableSetKind::VarSetValue as i32
                && v.args.first().is_some_and(|a| match &a.node {
                    Some(NodeEnum::AConst(c)) => match &c.val {
                        Some(pb::a_const::Val::Sval(s)) => super::context::is_utc(&s.sval),
                        Some(pb::a_const::Val::Ival(i)) => i.ival == 0,
                        _ => false,
                    },
                    _ => false,
                });
        }
        NodeEnum::IndexStmt(i) => index(i, ctx, &mut e, &mut drafts),
        NodeEnum::DropStmt(d) => drop(d, ctx, &mut e, &mut drafts),
        NodeEnum::AlterTableStmt(a) => alter_table(a, ctx, &mut e, &mut drafts),
        NodeEnum::RenameStmt(r) => rename(r, ctx, &mut e, &mut drafts),
        NodeEnum::CreateStmt(c) => create_table(c, ctx, &mut e),
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
        NodeEnum::VacuumStmt(v) => vacuum(v, ctx, &mut e, &mut drafts),
        NodeEnum::ClusterStmt(c) => {
            if let Some(r) = &c.relation {
                let t = rel(r);
                e.locks.push(claim(&t, AccessExclusive));
                e.rewrites.push(t.clone());
                if let Some(sev) = grade(ctx, &t, Severity::Error) {
                    drafts.push(draft(
                        "cluster",
                        sev,
                        format!("CLUSTER rewrites {t}{} under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite", size_note(ctx, &t)),
                        Some("pg_repack (online, with its extension) reorders a table without the long lock; or run CLUSTER in a maintenance window".into()),
                    ));
                }
            } else {
                e.outside_transaction = Some("CLUSTER of every table");
            }
        }
        NodeEnum::LockStmt(l) => {
            let mode = LockMode::from_number(l.mode).unwrap_or(AccessExclusive);
            for r in &l.relations {
                if let Some(NodeEnum::RangeVar(rv)) = &r.node {
                    let t = rel(rv);
                    e.locks.push(claim(&t, mode));
                    if !ctx.is_new(&t) && mode.blocks_writes() {
                        drafts.push(draft(
                            "lock-table",
                            Severity::Warning,
                            format!("LOCK TABLE {t} IN {} MODE blocks {} of {t} until the migration commits", mode.name(), mode.blocks()),
                            Some("take no explicit lock: each statement takes the lock it needs, for as short as it can, and neonops' lock_timeout bounds the wait".into()),
                        ));
                    }
                }
            }
        }
        NodeEnum::RefreshMatViewStmt(r) => {
            if let Some(rv) = &r.relation {
                let t = rel(rv);
                if r.concurrent {
                    e.locks.push(claim(&t, Exclusive));
                } else {
                    e.locks.push(claim(&t, AccessExclusive));
                    e.rewrites.push(t.clone());
                    if let Some(sev) = grade(ctx, &t, Severity::Error) {
                        drafts.push(draft(
                            "refresh-matview-without-concurrently",
                            sev,
                            format!("REFRESH MATERIALIZED VIEW {t} holds ACCESS EXCLUSIVE: reads of the view wait for the whole refresh"),
                            Some(format!("REFRESH MATERIALIZED VIEW CONCURRENTLY {t}; (needs a unique index on the view; reads go on meanwhile)")),
                        ));
                    }
                }
            }
        }
        NodeEnum::ReindexStmt(r) => reindex(r, ctx, &mut e, &mut drafts),
        NodeEnum::UpdateStmt(u) => {
            if let Some(rv) = &u.relation {
                let t = rel(rv);
                e.locks.push(claim(&t, RowExclusive));
                e.writes_rows.push(t.clone());
                if !ctx.is_new(&t) {
                    txn.backfills.push((t, s.line, s.column, s.head()));
                }
            }
        }
        NodeEnum::DeleteStmt(d) => {
            if let Some(rv) = &d.relation {
                let t = rel(rv);
                e.locks.push(claim(&t, RowExclusive));
                e.writes_rows.push(t.clone());
                if !ctx.is_new(&t) {
                    txn.backfills.push((t, s.line, s.column, s.head()));
                }
            }
        }
        NodeEnum::InsertStmt(i) => {
            if let Some(rv) = &i.relation {
                e.locks.push(claim(&rel(rv), RowExclusive));
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
        NodeEnum::CreatedbStmt(_) => e.outside_transaction = Some("CREATE DATABASE"),
        NodeEnum::DropdbStmt(_) => e.outside_transaction = Some("DROP DATABASE"),
        NodeEnum::AlterSystemStmt(_) => e.outside_transaction = Some("ALTER SYSTEM"),
        NodeEnum::CreateTableSpaceStmt(_) => e.outside_transaction = Some("CREATE TABLESPACE"),
        NodeEnum::DropTableSpaceStmt(_) => e.outside_transaction = Some("DROP TABLESPACE"),
        _ => {}
    }
    // The statement's own table (a foreign key's second table is its own
    // finding); tables created in this run are new and empty: no risk.
    if let Some(c) = e.strongest()
        && c.mode.blocks_writes()
        && !ctx.is_new(&c.table)
    {
        txn.strong
            .push((c.table.clone(), c.mode, s.line, s.column, s.head()));
    }
    if let Some(why) = e.outside_transaction
        && txn.transactional
    {
        drafts.push(draft(
            "needs-no-transaction",
            Severity::Error,
            format!("{why} cannot run inside a transaction block, and this file runs in one: the migration fails when it reaches it"),
            Some(format!("move it to a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\n{};", s.text)),
        ));
    }
    let findings = drafts
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
        .collect();
    (e, findings)
}

fn claim(table: &str, mode: LockMode) -> Claim {
    Claim {
        table: table.to_string(),
        mode,
    }
}

fn index(i: &pb::IndexStmt, ctx: &mut Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let Some(rv) = &i.relation else { return };
    let t = rel(rv);
    // The index is new (and in its table's schema).
    if !i.idxname.is_empty() {
        let name = match rv.schemaname.as_str() {
            "" => i.idxname.clone(),
            schema => format!("{schema}.{}", i.idxname),
        };
        ctx.index_tables.insert(name.clone(), t.clone());
        e.creates.push(name);
    }
    if i.concurrent {
        e.locks.push(claim(&t, ShareUpdateExclusive));
        e.outside_transaction = Some("CREATE INDEX CONCURRENTLY");
        return;
    }
    e.locks.push(claim(&t, Share));
    e.index_builds.push(t.clone());
    if let Some(sev) = grade(ctx, &t, Severity::Error) {
        let mut concurrent = i.clone();
        concurrent.concurrent = true;
        let alt = deparse(NodeEnum::IndexStmt(Box::new(concurrent)));
        drafts.push(draft(
            "index-without-concurrently",
            sev,
            format!(
                "CREATE INDEX takes SHARE on {t}{}: inserts, updates and deletes wait for the whole build",
                size_note(ctx, &t)
            ),
            alt.map(|sql| format!("in a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\n{sql}")),
        ));
    }
}

fn drop(d: &pb::DropStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let kind = ObjectType::try_from(d.remove_type).unwrap_or(ObjectType::Undefined);
    e.cascades = d.behavior == pb::DropBehavior::DropCascade as i32;
    for o in &d.objects {
        let name = match &o.node {
            Some(NodeEnum::List(l)) => dotted(&l.items),
            Some(NodeEnum::String(s)) => s.sval.clone(),
            _ => continue,
        };
        match kind {
            ObjectType::ObjectIndex => {
                let table = ctx.index_tables.get(&name).cloned();
                if d.concurrent {
                    // The table (and the index) at SHARE UPDATE EXCLUSIVE
                    // while it waits for queries to finish.
                    e.locks.push(claim(
                        table.as_deref().unwrap_or(&name),
                        ShareUpdateExclusive,
                    ));
                    e.outside_transaction = Some("DROP INDEX CONCURRENTLY");
                } else {
                    if let Some(t) = &table {
                        e.locks.push(claim(t, AccessExclusive));
                    }
                    e.locks.push(claim(&name, AccessExclusive));
                    if !ctx.is_new(&name) {
                        drafts.push(draft(
                            "drop-index-without-concurrently",
                            Severity::Warning,
                            format!("DROP INDEX {name} takes ACCESS EXCLUSIVE on its table: every query of the table waits for it, and it waits for every query"),
                            Some(format!(
                                "in a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\nDROP INDEX CONCURRENTLY {}{name};",
                                if d.missing_ok { "IF EXISTS " } else { "" }
                            )),
                        ));
                    }
                }
            }
            ObjectType::ObjectTable => {
                e.locks.push(claim(&name, AccessExclusive));
                if !ctx.is_new(&name) {
                    drafts.push(draft(
                        "drop-table",
                        Severity::Warning,
                        format!("DROP TABLE {name}: application code still running that reads or writes it fails from this moment"),
                        Some(format!("release application code that no longer uses {name} first; drop the table in a later migration")),
                    ));
                }
            }
            ObjectType::ObjectMatview | ObjectType::ObjectView | ObjectType::ObjectSequence => {
                e.locks.push(claim(&name, AccessExclusive));
            }
            _ => {}
        }
    }
}

fn rename(r: &pb::RenameStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let Some(rv) = &r.relation else { return };
    let t = rel(rv);
    e.locks.push(claim(&t, AccessExclusive));
    if ctx.is_new(&t) {
        // A new table keeps being new under its new name.
        if r.rename_type != ObjectType::ObjectColumn as i32 && !r.newname.is_empty() {
            e.creates.push(match rv.schemaname.as_str() {
                "" => r.newname.clone(),
                schema => format!("{schema}.{}", r.newname),
            });
        }
        return;
    }
    match ObjectType::try_from(r.rename_type) {
        Ok(ObjectType::ObjectColumn) => drafts.push(draft(
            "rename-column",
            Severity::Warning,
            format!("RENAME COLUMN {t}.{} to {}: running application code that uses the old name fails from this moment", r.subname, r.newname),
            Some(format!(
                "expand and contract: ALTER TABLE {t} ADD COLUMN {new} …; write both columns from the application and backfill {new} in batches; switch reads to {new}; then, in a later migration, ALTER TABLE {t} DROP COLUMN {old};",
                new = r.newname,
                old = r.subname
            )),
        )),
        Ok(ObjectType::ObjectTable) => drafts.push(draft(
            "rename-table",
            Severity::Warning,
            format!("RENAME TABLE {t} to {}: running application code that uses the old name fails from this moment", r.newname),
            Some(format!(
                "keep the old name readable while code moves: ALTER TABLE {t} RENAME TO {new}; CREATE VIEW {t} AS SELECT * FROM {new}; and drop the view in a later migration",
                new = r.newname
            )),
        )),
        _ => {}
    }
}

fn create_table(c: &pb::CreateStmt, ctx: &mut Context, e: &mut Effect) {
    let Some(rv) = &c.relation else { return };
    let t = rel(rv);
    e.creates.push(t.clone());
    let mut referenced = Vec::new();
    for el in &c.table_elts {
        match &el.node {
            Some(NodeEnum::ColumnDef(col)) => {
                if let Some(ty) = &col.type_name {
                    ctx.columns
                        .entry(t.clone())
                        .or_default()
                        .insert(col.colname.clone(), type_text(ty));
                }
                for con in &col.constraints {
                    if let Some(NodeEnum::Constraint(k)) = &con.node
                        && ConstrType::try_from(k.contype) == Ok(ConstrType::ConstrForeign)
                        && let Some(pk) = &k.pktable
                    {
                        referenced.push(rel(pk));
                    }
                }
            }
            Some(NodeEnum::Constraint(k)) => {
                if ConstrType::try_from(k.contype) == Ok(ConstrType::ConstrForeign)
                    && let Some(pk) = &k.pktable
                {
                    referenced.push(rel(pk));
                }
            }
            _ => {}
        }
    }
    for r in referenced {
        if r != t {
            e.locks.push(claim(&r, ShareRowExclusive));
        }
    }
}

fn vacuum(v: &pb::VacuumStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let full = v.options.iter().any(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) => d.defname.eq_ignore_ascii_case("full"),
        _ => false,
    });
    if v.is_vacuumcmd {
        e.outside_transaction = Some(if full { "VACUUM FULL" } else { "VACUUM" });
    }
    for r in &v.rels {
        let Some(NodeEnum::VacuumRelation(vr)) = &r.node else {
            continue;
        };
        let Some(rv) = &vr.relation else { continue };
        let t = rel(rv);
        if full {
            e.locks.push(claim(&t, AccessExclusive));
            e.rewrites.push(t.clone());
            if let Some(sev) = grade(ctx, &t, Severity::Error) {
                drafts.push(draft(
                    "vacuum-full",
                    sev,
                    format!("VACUUM FULL rewrites {t}{} under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite", size_note(ctx, &t)),
                    Some(format!("a plain VACUUM {t}; reclaims space for reuse without the lock; pg_repack shrinks the table online")),
                ));
            }
        } else {
            e.locks.push(claim(&t, ShareUpdateExclusive));
        }
    }
}

fn reindex(r: &pb::ReindexStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let concurrent = r.params.iter().any(|p| match &p.node {
        Some(NodeEnum::DefElem(d)) => d.defname.eq_ignore_ascii_case("concurrently"),
        _ => false,
    });
    let Some(rv) = &r.relation else {
        e.outside_transaction = Some("REINDEX DATABASE/SYSTEM/SCHEMA");
        return;
    };
    let t = rel(rv);
    let index_kind = r.kind == pb::ReindexObjectType::ReindexObjectIndex as i32;
    // REINDEX INDEX locks the index's table too: SHARE (writes wait), the
    // index ACCESS EXCLUSIVE (reads planned through it wait).
    let table = if index_kind {
        ctx.index_tables.get(&t).cloned()
    } else {
        Some(t.clone())
    };
    if concurrent {
        e.locks
            .push(claim(table.as_deref().unwrap_or(&t), ShareUpdateExclusive));
        e.outside_transaction = Some("REINDEX CONCURRENTLY");
        return;
    }
    if let Some(table) = &table {
        e.locks.push(claim(table, Share));
    }
    if index_kind {
        e.locks.push(claim(&t, AccessExclusive));
    }
    e.index_builds.push(t.clone());
    if ctx.pg_version >= 12
        && let Some(sev) = grade(ctx, table.as_deref().unwrap_or(&t), Severity::Error)
    {
        drafts.push(draft(
            "reindex-without-concurrently",
            sev,
            format!(
                "REINDEX {} {t} blocks writes to the table (and reads through the index) for the whole rebuild",
                if index_kind { "INDEX" } else { "TABLE" }
            ),
            Some(format!(
                "in a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\nREINDEX {} CONCURRENTLY {t};",
                if index_kind { "INDEX" } else { "TABLE" }
            )),
        ));
    }
}

/// Each ALTER TABLE subcommand's lock; the statement takes the strongest.
fn alter_table(a: &pb::AlterTableStmt, ctx: &mut Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let Some(rv) = &a.relation else { return };
    let t = rel(rv);
    let is_table = matches!(
        ObjectType::try_from(a.objtype),
        Ok(ObjectType::ObjectTable | ObjectType::ObjectForeignTable)
    );
    let mut mode = ShareUpdateExclusive;
    let mut raise = |m: LockMode| {
        if m > mode {
            mode = m;
        }
    };
    for c in &a.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = &c.node else {
            continue;
        };
        let sub = At::try_from(cmd.subtype).unwrap_or(At::Undefined);
        match sub {
            At::AtSetStatistics
            | At::AtSetOptions
            | At::AtResetOptions
            | At::AtClusterOn
            | At::AtDropCluster
            | At::AtSetRelOptions
            | At::AtResetRelOptions
            | At::AtValidateConstraint => raise(ShareUpdateExclusive),
            At::AtEnableTrig
            | At::AtEnableAlwaysTrig
            | At::AtEnableReplicaTrig
            | At::AtDisableTrig
            | At::AtEnableTrigAll
            | At::AtDisableTrigAll
            | At::AtEnableTrigUser
            | At::AtDisableTrigUser => raise(ShareRowExclusive),
            At::AtAttachPartition => {
                raise(if ctx.pg_version >= 12 {
                    ShareUpdateExclusive
                } else {
                    AccessExclusive
                });
                if let Some(NodeEnum::PartitionCmd(p)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                    && let Some(part) = &p.name
                {
                    e.locks.push(claim(&rel(part), AccessExclusive));
                }
            }
            At::AtDetachPartition => {
                let concurrent = matches!(cmd.def.as_ref().and_then(|d| d.node.as_ref()), Some(NodeEnum::PartitionCmd(p)) if p.concurrent);
                if concurrent {
                    raise(ShareUpdateExclusive);
                    e.outside_transaction = Some("DETACH PARTITION CONCURRENTLY");
                } else {
                    raise(AccessExclusive);
                }
            }
            At::AtSetLogged | At::AtSetUnLogged | At::AtSetTableSpace | At::AtSetAccessMethod => {
                raise(AccessExclusive);
                e.rewrites.push(t.clone());
            }
            At::AtAddColumn => {
                raise(AccessExclusive);
                if let Some(NodeEnum::ColumnDef(col)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    add_column(&t, col, ctx, e, drafts);
                }
            }
            At::AtSetNotNull => {
                raise(AccessExclusive);
                let checked = ctx.pg_version >= 12
                    && ctx.not_null_checks.contains(&(t.clone(), cmd.name.clone()));
                if !checked {
                    e.scans.push(t.clone());
                    if let Some(sev) = grade(ctx, &t, Severity::Error) {
                        let c = format!("{t}_{}_not_null", cmd.name).replace('.', "_");
                        drafts.push(draft(
                            "set-not-null-without-check",
                            sev,
                            format!("SET NOT NULL scans every row of {t}{} under ACCESS EXCLUSIVE: reads and writes wait", size_note(ctx, &t)),
                            Some(if ctx.pg_version >= 12 {
                                format!(
                                    "ALTER TABLE {t} ADD CONSTRAINT {c} CHECK ({col} IS NOT NULL) NOT VALID;\n-- in a later migration (the scan does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {c};\nALTER TABLE {t} ALTER COLUMN {col} SET NOT NULL;  -- no scan: the validated CHECK proves it\nALTER TABLE {t} DROP CONSTRAINT {c};",
                                    col = cmd.name
                                )
                            } else {
                                format!("before PostgreSQL 12 SET NOT NULL always scans: keep a CHECK ({} IS NOT NULL) NOT VALID constraint, validated later, instead", cmd.name)
                            }),
                        ));
                    }
                }
            }
            At::AtAlterColumnType => {
                raise(AccessExclusive);
                if let Some(NodeEnum::ColumnDef(col)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    column_type(&t, &cmd.name, col, ctx, e, drafts);
                }
            }
            At::AtAddConstraint => {
                if let Some(NodeEnum::Constraint(k)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    raise(add_constraint(&t, k, ctx, e, drafts));
                } else {
                    raise(AccessExclusive);
                }
            }
            At::AtDropColumn => {
                raise(AccessExclusive);
                if is_table && !ctx.is_new(&t) {
                    drafts.push(draft(
                        "drop-column",
                        Severity::Warning,
                        format!("DROP COLUMN {t}.{}: running application code that reads or writes it fails from this moment", cmd.name),
                        Some(format!("release application code that no longer uses {} first (ignore it in the ORM), then drop it in a later migration", cmd.name)),
                    ));
                }
            }
            _ => raise(AccessExclusive),
        }
    }
    e.locks.insert(0, claim(&t, mode));
}

fn add_column(
    t: &str,
    col: &pb::ColumnDef,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let ty = col.type_name.as_ref().map(type_text).unwrap_or_default();
    ctx.columns
        .entry(t.to_string())
        .or_default()
        .insert(col.colname.clone(), ty.clone());
    let serial = matches!(
        ty.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    );
    let mut identity = !col.identity.is_empty();
    let mut stored = !col.generated.is_empty();
    let mut default = col.raw_default.as_deref().cloned();
    for con in &col.constraints {
        let Some(NodeEnum::Constraint(k)) = &con.node else {
            continue;
        };
        match ConstrType::try_from(k.contype) {
            Ok(ConstrType::ConstrIdentity) => identity = true,
            Ok(ConstrType::ConstrGenerated) => stored = true,
            Ok(ConstrType::ConstrDefault) => default = k.raw_expr.as_deref().cloned(),
            Ok(ConstrType::ConstrForeign) => {
                if let Some(pk) = &k.pktable {
                    e.locks.push(claim(&rel(pk), ShareRowExclusive));
                    e.scans.push(t.to_string());
                    if let Some(sev) = grade(ctx, t, Severity::Warning) {
                        let cname = format!("{t}_{}_fkey", col.colname).replace('.', "_");
                        drafts.push(draft(
                            "foreign-key-without-not-valid",
                            sev,
                            format!("ADD COLUMN … REFERENCES {} validates every row of {t} while writes to both tables wait", rel(pk)),
                            Some(format!(
                                "ALTER TABLE {t} ADD COLUMN {c} {ty};\nALTER TABLE {t} ADD CONSTRAINT {cname} FOREIGN KEY ({c}) REFERENCES {p} NOT VALID;\n-- in a later migration (the scan does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {cname};",
                                c = col.colname,
                                p = rel(pk)
                            )),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let rewrite = |e: &mut Effect| e.rewrites.push(t.to_string());
    if serial || identity {
        rewrite(e);
        if let Some(sev) = grade(ctx, t, Severity::Error) {
            drafts.push(draft(
                "add-column-serial",
                sev,
                format!("ADD COLUMN {} {} fills every existing row: {t}{} is rewritten under ACCESS EXCLUSIVE", col.colname, if serial { ty.as_str() } else { "… GENERATED AS IDENTITY" }, size_note(ctx, t)),
                Some({
                    let seq = format!("{}_{}_seq", t.replace('.', "_"), col.colname);
                    format!(
                        "ALTER TABLE {t} ADD COLUMN {c} bigint;\nCREATE SEQUENCE {seq} OWNED BY {t}.{c};\nALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT nextval('{seq}');  -- new rows only\n-- then fill existing rows in batches, in a migration of their own",
                        c = col.colname
                    )
                }),
            ));
        }
    } else if stored {
        rewrite(e);
        if let Some(sev) = grade(ctx, t, Severity::Error) {
            drafts.push(draft(
                "add-column-generated-stored",
                sev,
                format!("ADD COLUMN {} … GENERATED ALWAYS AS (…) STORED computes every existing row: {t}{} is rewritten under ACCESS EXCLUSIVE", col.colname, size_note(ctx, t)),
                Some("add a plain column, fill it in batches, and keep it current with a trigger; or compute it in queries (a view, or an expression index)".into()),
            ));
        }
    } else if let Some(d) = default {
        if ctx.pg_version < 11 {
            rewrite(e);
            if let Some(sev) = grade(ctx, t, Severity::Error) {
                drafts.push(draft(
                    "add-column-default-before-11",
                    sev,
                    format!("before PostgreSQL 11, ADD COLUMN … DEFAULT rewrites {t}{}", size_note(ctx, t)),
                    Some(format!("ALTER TABLE {t} ADD COLUMN {c} {ty}; ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT …; then fill existing rows in batches", c = col.colname)),
                ));
            }
        } else {
            match volatility(&d) {
                Volatility::NotVolatile => {}
                Volatility::Volatile(f) => {
                    rewrite(e);
                    if let Some(sev) = grade(ctx, t, Severity::Error) {
                        drafts.push(draft(
                            "add-column-volatile-default",
                            sev,
                            format!("ADD COLUMN {} with the volatile default {f}() computes every existing row: {t}{} is rewritten under ACCESS EXCLUSIVE", col.colname, size_note(ctx, t)),
                            Some(format!(
                                "ALTER TABLE {t} ADD COLUMN {c} {ty};\nALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {f}();  -- new rows only: no rewrite\n-- then fill existing rows in batches, in a migration of their own",
                                c = col.colname
                            )),
                        ));
                    }
                }
                Volatility::Unknown(f) => {
                    if let Some(sev) = grade(ctx, t, Severity::Warning) {
                        drafts.push(draft(
                            "add-column-volatile-default",
                            sev.min(Severity::Warning),
                            format!("ADD COLUMN {} DEFAULT {f}(…): if {f} is volatile, every existing row of {t} is computed and the table rewritten under ACCESS EXCLUSIVE", col.colname),
                            Some(format!("if it is volatile: ALTER TABLE {t} ADD COLUMN {c} {ty}; ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {f}(…); then fill existing rows in batches", c = col.colname)),
                        ));
                    }
                }
            }
        }
    }
}

fn column_type(
    t: &str,
    column: &str,
    col: &pb::ColumnDef,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let new = col.type_name.as_ref().map(type_text).unwrap_or_default();
    let old = ctx.columns.get(t).and_then(|c| c.get(column)).cloned();
    // `USING column` is the same as no USING: the column's value, coerced.
    let using = col.raw_default.as_deref().is_some_and(|d| match &d.node {
        Some(NodeEnum::ColumnRef(r)) => !matches!(
            r.fields.as_slice(),
            [f] if matches!(&f.node, Some(NodeEnum::String(s)) if s.sval == column)
        ),
        _ => true,
    });
    let coercible = !using
        && old
            .as_deref()
            .is_some_and(|o| binary_coercible(o, &new, ctx));
    if let Some(c) = ctx.columns.get_mut(t) {
        c.insert(column.to_string(), new.clone());
    }
    if coercible {
        if let Some(sev) = grade(ctx, t, Severity::Info) {
            drafts.push(draft(
                "column-type-no-rewrite",
                sev.min(Severity::Info),
                format!("{t}.{column}: {} → {new} is binary-coercible: no rewrite, a brief ACCESS EXCLUSIVE", old.unwrap_or_default()),
                None,
            ));
        }
        return;
    }
    e.rewrites.push(t.to_string());
    if let Some(sev) = grade(ctx, t, Severity::Error) {
        drafts.push(draft(
            "column-type-rewrite",
            sev,
            format!(
                "ALTER COLUMN {column} TYPE {new}{} rewrites {t}{} (and rebuilds its indexes) under ACCESS EXCLUSIVE: reads and writes wait",
                match &old {
                    Some(o) => format!(" (from {o})"),
                    None => " (from a type not known here)".into(),
                },
                size_note(ctx, t)
            ),
            Some(format!(
                "expand and contract: ALTER TABLE {t} ADD COLUMN {column}_new {new}; keep it in step with a trigger and backfill it in batches; switch the application to {column}_new; then drop {column} (and rename) in later migrations. Changes that need no rewrite: varchar(n) to a longer varchar or to text, numeric(p,s) to a larger p, timestamp to timestamptz with TimeZone UTC (12+)"
            )),
        ));
    }
}

fn add_constraint(
    t: &str,
    k: &pb::Constraint,
    ctx: &Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) -> LockMode {
    let name = if k.conname.is_empty() {
        None
    } else {
        Some(k.conname.clone())
    };
    match ConstrType::try_from(k.contype) {
        Ok(ConstrType::ConstrForeign) => {
            if let Some(pk) = &k.pktable {
                e.locks.push(claim(&rel(pk), ShareRowExclusive));
            }
            if !k.skip_validation {
                e.scans.push(t.to_string());
                if let Some(sev) = grade(ctx, t, Severity::Error) {
                    let cols: Vec<&str> = k.fk_attrs.iter().filter_map(string_of).collect();
                    let cname = name.unwrap_or_else(|| {
                        format!("{}_{}_fkey", t.replace('.', "_"), cols.join("_"))
                    });
                    let mut not_valid = k.clone();
                    not_valid.skip_validation = true;
                    not_valid.initially_valid = false;
                    not_valid.conname = cname.clone();
                    drafts.push(draft(
                        "foreign-key-without-not-valid",
                        sev,
                        format!(
                            "ADD FOREIGN KEY checks every row of {t}{} while writes to {t} and {} wait (SHARE ROW EXCLUSIVE on both)",
                            size_note(ctx, t),
                            k.pktable.as_ref().map(rel).unwrap_or_default()
                        ),
                        Some(format!(
                            "{}\n-- in a later migration (the check does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {cname};",
                            alter_add(t, not_valid)
                        )),
                    ));
                }
            }
            ShareRowExclusive
        }
        Ok(ConstrType::ConstrCheck) => {
            if !k.skip_validation {
                e.scans.push(t.to_string());
                if let Some(sev) = grade(ctx, t, Severity::Error) {
                    let cname = name.unwrap_or_else(|| format!("{}_check", t.replace('.', "_")));
                    let mut not_valid = k.clone();
                    not_valid.skip_validation = true;
                    not_valid.initially_valid = false;
                    not_valid.conname = cname.clone();
                    drafts.push(draft(
                        "check-without-not-valid",
                        sev,
                        format!("ADD CHECK reads every row of {t}{} under ACCESS EXCLUSIVE: reads and writes wait", size_note(ctx, t)),
                        Some(format!(
                            "{}\n-- in a later migration (the check does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {cname};",
                            alter_add(t, not_valid)
                        )),
                    ));
                }
            }
            AccessExclusive
        }
        Ok(kind @ (ConstrType::ConstrUnique | ConstrType::ConstrPrimary)) => {
            if k.indexname.is_empty() {
                e.index_builds.push(t.to_string());
                if let Some(sev) = grade(ctx, t, Severity::Error) {
                    let primary = kind == ConstrType::ConstrPrimary;
                    let cols: Vec<&str> = k.keys.iter().filter_map(string_of).collect();
                    let idx = format!(
                        "{}_{}_{}",
                        t.replace('.', "_"),
                        cols.join("_"),
                        if primary { "pkey" } else { "key" }
                    );
                    let cname = name.unwrap_or_else(|| idx.clone());
                    drafts.push(draft(
                        if primary { "primary-key-without-using-index" } else { "unique-without-using-index" },
                        sev,
                        format!(
                            "ADD {} builds its index on {t}{} under ACCESS EXCLUSIVE: reads and writes wait for the whole build",
                            if primary { "PRIMARY KEY" } else { "UNIQUE" },
                            size_note(ctx, t)
                        ),
                        Some(format!(
                            "in a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY {idx} ON {t} ({cols});\n-- then, in the next migration (brief):\nALTER TABLE {t} ADD CONSTRAINT {cname} {kind} USING INDEX {idx};",
                            cols = cols.join(", "),
                            kind = if primary { "PRIMARY KEY" } else { "UNIQUE" }
                        )),
                    ));
                }
            }
            AccessExclusive
        }
        _ => AccessExclusive,
    }
}

/// `ALTER TABLE t ADD CONSTRAINT …` for a constraint, as SQL: a parsed
/// template (so every field the deparser checks is valid) with the table and
/// the constraint put in.
fn alter_add(t: &str, k: pb::Constraint) -> String {
    let fallback = || format!("ALTER TABLE {t} ADD CONSTRAINT {} … NOT VALID;", k.conname);
    let Ok(parsed) = pg_query::parse("ALTER TABLE x ADD CONSTRAINT y CHECK (true)", 0) else {
        return fallback();
    };
    let Some(NodeEnum::AlterTableStmt(mut stmt)) = parsed
        .protobuf
        .stmts
        .into_iter()
        .next()
        .and_then(|r| r.stmt)
        .and_then(|n| n.node)
    else {
        return fallback();
    };
    if let Some(rv) = stmt.relation.as_mut() {
        match t.split_once('.') {
            Some((schema, name)) => {
                rv.schemaname = schema.to_string();
                rv.relname = name.to_string();
            }
            None => rv.relname = t.to_string(),
        }
    }
    if let Some(NodeEnum::AlterTableCmd(cmd)) = stmt.cmds.first_mut().and_then(|c| c.node.as_mut())
    {
        cmd.def = Some(Box::new(pb::Node {
            node: Some(NodeEnum::Constraint(Box::new(k.clone()))),
        }));
    }
    deparse(NodeEnum::AlterTableStmt(stmt)).unwrap_or_else(fallback)
}

/// A `-- neonops:allow` without a reason.
pub(super) fn bare_allow(s: &Statement, a: &Allow, file: &str) -> Finding {
    Finding {
        rule: "allow-without-reason",
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
