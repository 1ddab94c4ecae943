//! CREATE INDEX, DROP, RENAME, CREATE TABLE, VACUUM, REINDEX.

use crate::lint::Rule;
use pg_query::NodeEnum;
use pg_query::protobuf::{self as pb, ConstrType, ObjectType};

use super::names::*;
use super::{Draft, Transaction, claim, draft, grade, size_note};
use crate::lint::context::{Context, ForeignKey};
use crate::lint::{Effect, LockMode, Severity};
use crate::sql::Statement;
use LockMode::*;

pub(super) fn index(i: &pb::IndexStmt, ctx: &mut Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let Some(rv) = &i.relation else { return };
    let t = rel(rv);
    // The index is new (and in its table's schema).
    if !i.idxname.is_empty() {
        let name = in_schema(rv, &i.idxname);
        ctx.index_tables.insert(name.clone(), t.clone());
        e.creates.push(name);
    }
    if i.concurrent {
        // Held for the whole build (it also waits twice for older transactions).
        e.locks.push(claim(&t, ShareUpdateExclusive));
        e.index_builds.push(t.clone());
        return;
    }
    e.locks.push(claim(&t, Share));
    e.index_builds.push(t.clone());
    if let Some(sev) = grade(ctx, &t, Severity::Error) {
        let mut concurrent = i.clone();
        concurrent.concurrent = true;
        let alt = deparse(NodeEnum::IndexStmt(Box::new(concurrent)));
        drafts.push(draft(
            Rule::IndexWithoutConcurrently,
            sev,
            format!(
                "CREATE INDEX takes SHARE on {t}{}: inserts, updates and deletes wait for the whole build",
                size_note(ctx, &t)
            ),
            alt.map(|sql| format!("in a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\n{sql}")),
        ));
    }
}

pub(super) fn drop(d: &pb::DropStmt, ctx: &mut Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
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
                } else {
                    if let Some(t) = &table {
                        e.locks.push(claim(t, AccessExclusive));
                    }
                    e.locks.push(claim(&name, AccessExclusive));
                    if !ctx.is_new(&name) {
                        drafts.push(draft(
                            Rule::DropIndexWithoutConcurrently,
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
                // Its foreign keys go with it: their triggers on the
                // referenced tables are dropped under ACCESS EXCLUSIVE.
                for r in ctx.drop_foreign_keys(&name, |_| true) {
                    if r != name {
                        e.locks.push(claim(&r, AccessExclusive));
                    }
                }
                if !ctx.is_new(&name) {
                    drafts.push(draft(
                        Rule::DropTable,
                        Severity::Warning,
                        format!("DROP TABLE {name}: application code still running that reads or writes it fails from this moment"),
                        Some(format!("release application code that no longer uses {name} first; drop the table in a later migration")),
                    ));
                }
            }
            ObjectType::ObjectMatview | ObjectType::ObjectView | ObjectType::ObjectSequence => {
                e.locks.push(claim(&name, AccessExclusive));
            }
            // `DROP TRIGGER tr ON t`: the object is [schema.]t.tr, and t
            // is locked ACCESS EXCLUSIVE (so are rules and policies).
            ObjectType::ObjectTrigger | ObjectType::ObjectRule | ObjectType::ObjectPolicy => {
                if let Some(NodeEnum::List(l)) = &o.node
                    && l.items.len() >= 2
                {
                    e.locks.push(claim(
                        &dotted(&l.items[..l.items.len() - 1]),
                        AccessExclusive,
                    ));
                }
            }
            _ => {}
        }
    }
}

pub(super) fn rename(
    r: &pb::RenameStmt,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let Some(rv) = &r.relation else { return };
    let t = rel(rv);
    let kind = ObjectType::try_from(r.rename_type);
    // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12.
    let mode = if kind == Ok(ObjectType::ObjectIndex) && ctx.pg_version >= 12 {
        ShareUpdateExclusive
    } else {
        AccessExclusive
    };
    e.locks.push(claim(&t, mode));
    let new_name = in_schema(rv, &r.newname);
    match kind {
        Ok(ObjectType::ObjectColumn) => ctx.rename_column(&t, &r.subname, &r.newname),
        Ok(ObjectType::ObjectIndex) => {
            if let Some(table) = ctx.index_tables.remove(&t) {
                ctx.index_tables.insert(new_name.clone(), table);
            }
        }
        Ok(ObjectType::ObjectTable | ObjectType::ObjectMatview | ObjectType::ObjectView) => {
            ctx.rename_table(&t, &new_name)
        }
        _ => {}
    }
    if ctx.is_new(&t) {
        // A new table keeps being new under its new name.
        if kind != Ok(ObjectType::ObjectColumn) && !r.newname.is_empty() {
            e.creates.push(new_name);
        }
        return;
    }
    match kind {
        Ok(ObjectType::ObjectColumn) => drafts.push(draft(
            Rule::RenameColumn,
            Severity::Warning,
            format!("RENAME COLUMN {t}.{} to {}: running application code that uses the old name fails from this moment", r.subname, r.newname),
            Some(format!(
                "expand and contract: ALTER TABLE {t} ADD COLUMN {new} …; write both columns from the application and backfill {new} in batches; switch reads to {new}; then, in a later migration, ALTER TABLE {t} DROP COLUMN {old};",
                new = r.newname,
                old = r.subname
            )),
        )),
        Ok(ObjectType::ObjectTable) => drafts.push(draft(
            Rule::RenameTable,
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

pub(super) fn create_table(c: &pb::CreateStmt, ctx: &mut Context, e: &mut Effect) {
    let Some(rv) = &c.relation else { return };
    let t = rel(rv);
    e.creates.push(t.clone());
    let mut keys = Vec::new();
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
                        keys.push(foreign_key(&rv.relname, &t, k, &[col.colname.as_str()], pk));
                    }
                }
            }
            Some(NodeEnum::Constraint(k)) => {
                if ConstrType::try_from(k.contype) == Ok(ConstrType::ConstrForeign)
                    && let Some(pk) = &k.pktable
                {
                    let cols: Vec<&str> = k.fk_attrs.iter().filter_map(string_of).collect();
                    keys.push(foreign_key(&rv.relname, &t, k, &cols, pk));
                }
            }
            _ => {}
        }
    }
    for fk in keys {
        if fk.references != t {
            e.locks.push(claim(&fk.references, ShareRowExclusive));
        }
        ctx.foreign_keys.push(fk);
    }
}

/// A foreign key as PostgreSQL names it: `<table>_<columns>_fkey` unless named.
pub(super) fn foreign_key(
    relname: &str,
    table: &str,
    k: &pb::Constraint,
    columns: &[&str],
    pk: &pb::RangeVar,
) -> ForeignKey {
    ForeignKey {
        table: table.to_string(),
        name: if k.conname.is_empty() {
            format!("{relname}_{}_fkey", columns.join("_"))
        } else {
            k.conname.clone()
        },
        columns: columns.iter().map(|c| c.to_string()).collect(),
        references: rel(pk),
    }
}

pub(super) fn vacuum(v: &pb::VacuumStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let full = v.options.iter().any(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) => d.defname.eq_ignore_ascii_case("full"),
        _ => false,
    });
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
                    Rule::VacuumFull,
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

pub(super) fn reindex(r: &pb::ReindexStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let concurrent = r.params.iter().any(|p| match &p.node {
        Some(NodeEnum::DefElem(d)) => d.defname.eq_ignore_ascii_case("concurrently"),
        _ => false,
    });
    let Some(rv) = &r.relation else {
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
        e.index_builds
            .push(table.clone().unwrap_or_else(|| t.clone()));
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
            Rule::ReindexWithoutConcurrently,
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

/// `SET timezone TO 'UTC'` (or another zone at offset zero).
pub(super) fn sets_utc(v: &pb::VariableSetStmt) -> bool {
    v.kind == pb::VariableSetKind::VarSetValue as i32
        && v.args.first().is_some_and(|a| match &a.node {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(pb::a_const::Val::Sval(s)) => crate::lint::context::is_utc(&s.sval),
                Some(pb::a_const::Val::Ival(i)) => i.ival == 0,
                _ => false,
            },
            _ => false,
        })
}

pub(super) fn cluster(c: &pb::ClusterStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    if let Some(r) = &c.relation {
        let t = rel(r);
        e.locks.push(claim(&t, AccessExclusive));
        e.rewrites.push(t.clone());
        if let Some(sev) = grade(ctx, &t, Severity::Error) {
            drafts.push(draft(
                Rule::Cluster,
                sev,
                format!("CLUSTER rewrites {t}{} under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite", size_note(ctx, &t)),
                Some("pg_repack (online, with its extension) reorders a table without the long lock; or run CLUSTER in a maintenance window".into()),
            ));
        }
    }
}

pub(super) fn lock_table(l: &pb::LockStmt, ctx: &Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let mode = LockMode::from_number(l.mode).unwrap_or(AccessExclusive);
    for r in &l.relations {
        if let Some(NodeEnum::RangeVar(rv)) = &r.node {
            let t = rel(rv);
            e.locks.push(claim(&t, mode));
            if !ctx.is_new(&t) && mode.blocks_writes() {
                drafts.push(draft(
                    Rule::LockTable,
                    Severity::Warning,
                    format!("LOCK TABLE {t} IN {} MODE blocks {} of {t} until the migration commits", mode.name(), mode.blocks()),
                    Some("take no explicit lock: each statement takes the lock it needs, for as short as it can, and neonops' lock_timeout bounds the wait".into()),
                ));
            }
        }
    }
}

pub(super) fn refresh(
    r: &pb::RefreshMatViewStmt,
    ctx: &Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    if let Some(rv) = &r.relation {
        let t = rel(rv);
        if r.concurrent {
            e.locks.push(claim(&t, Exclusive));
        } else {
            e.locks.push(claim(&t, AccessExclusive));
            e.rewrites.push(t.clone());
            if let Some(sev) = grade(ctx, &t, Severity::Error) {
                drafts.push(draft(
                    Rule::RefreshMatviewWithoutConcurrently,
                    sev,
                    format!("REFRESH MATERIALIZED VIEW {t} holds ACCESS EXCLUSIVE: reads of the view wait for the whole refresh"),
                    Some(format!("REFRESH MATERIALIZED VIEW CONCURRENTLY {t}; (needs a unique index on the view; reads go on meanwhile)")),
                ));
            }
        }
    }
}

/// UPDATE or DELETE: a backfill when the table exists.
pub(super) fn writes_rows(
    t: String,
    s: &Statement,
    ctx: &Context,
    e: &mut Effect,
    txn: &mut Transaction,
) {
    e.locks.push(claim(&t, RowExclusive));
    e.writes_rows.push(t.clone());
    if !ctx.is_new(&t) && !crate::lint::is_catalog(&t) {
        txn.backfills.push((t, s.line, s.column, s.head()));
    }
}

/// CREATE FUNCTION's name and whether it is volatile (the default).
pub(super) fn function_volatility(f: &pb::CreateFunctionStmt) -> (String, bool) {
    let name = f
        .funcname
        .iter()
        .filter_map(string_of)
        .next_back()
        .unwrap_or("")
        .to_ascii_lowercase();
    let volatile = !f.options.iter().any(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "volatility" => {
            d.arg.as_deref().and_then(string_of).is_some_and(|v| {
                v.eq_ignore_ascii_case("immutable") || v.eq_ignore_ascii_case("stable")
            })
        }
        _ => false,
    });
    (name, volatile)
}
