//! Safe on a live table by construction: on a table that already exists
//! (and stays), an index is built and dropped `CONCURRENTLY` outside the
//! transaction (a changed one built beside the old, then swapped); a
//! foreign key or CHECK is added `NOT VALID` and validated after the
//! transaction (its scan then takes SHARE UPDATE EXCLUSIVE, which lets
//! writes through); a UNIQUE or PRIMARY KEY constraint is added `USING
//! INDEX` of a unique index built concurrently; `SET NOT NULL` goes through
//! a validated CHECK, so that it does not scan the table under ACCESS
//! EXCLUSIVE. The same rules as `neonops lint`'s.

use std::collections::BTreeSet;

use super::{Change, Difference, Phase, Step};
use crate::schema::{Key, Kind, Object, Schema};

/// Whether `table` exists before and after, and is not created again.
fn kept(from: &Schema, to: &Schema, recreated: &BTreeSet<Key>, table: &str) -> bool {
    let k = (Kind::Table, table.to_string());
    from.objects.contains_key(&k) && to.objects.contains_key(&k) && !recreated.contains(&k)
}

use crate::quote::{ident_min, qualified, with_suffix};

pub(super) fn make_online(diffs: &mut [Difference], from: &Schema, to: &Schema) {
    let plan = Plan::of(diffs, to);
    for d in diffs.iter_mut() {
        online(d, &plan, from, to);
    }
    comments_after_their_index(diffs, to);
}

/// What the whole plan says about each of its steps.
struct Plan {
    /// Objects created or dropped (not changed in place).
    recreated: BTreeSet<Key>,
    /// Constraints something else in the plan needs inside the transaction.
    needed: BTreeSet<Key>,
    /// Columns whose type the transaction changes: PostgreSQL rebuilds
    /// their indexes itself, with the old definition, so an index on one
    /// that changes too is dropped in the transaction, not swapped after.
    retyped: BTreeSet<Key>,
    /// What the transaction drops: an index that depends on one of them
    /// (an operator class of an extension, a function) goes in it too.
    dropped: BTreeSet<Key>,
}

impl Plan {
    fn of(diffs: &[Difference], to: &Schema) -> Plan {
        let steps = || diffs.iter().flat_map(|d| &d.steps);
        Plan {
            recreated: diffs
                .iter()
                .filter(|d| d.change != Change::Changed)
                .map(|d| (d.kind, d.name.clone()))
                .collect(),
            needed: steps()
                .filter(|s| s.phase != Phase::After)
                .flat_map(|s| to.deps.get(&s.object).into_iter().flatten())
                .cloned()
                .collect(),
            retyped: steps()
                .filter(|s| {
                    s.object.0 == Kind::Column
                        && s.sql.contains(" ALTER COLUMN ")
                        && s.sql.contains(" TYPE ")
                })
                .map(|s| s.object.clone())
                .collect(),
            dropped: steps()
                .filter(|s| {
                    matches!(s.phase, Phase::Drop | Phase::Late) && s.object.0 != Kind::Index
                })
                .map(|s| s.object.clone())
                .collect(),
        }
    }
}

/// How one difference's steps are made online.
struct Shape {
    /// Its index is changed: built again beside the old one, then swapped.
    swap: bool,
    /// It depends on a column the transaction retypes or on something it
    /// drops: it stays in the transaction.
    in_transaction: bool,
    /// An identity is added: it needs NOT NULL in place first.
    identity_added: bool,
}

fn online(d: &mut Difference, plan: &Plan, from: &Schema, to: &Schema) {
    let mut out: Vec<Step> = Vec::new();
    let mut hazards: Vec<String> = Vec::new();
    let steps = std::mem::take(&mut d.steps);
    let depends_on = |set: &BTreeSet<Key>| {
        from.deps
            .get(&(d.kind, d.name.clone()))
            .is_some_and(|ds| ds.iter().any(|k| set.contains(k)))
    };
    let in_transaction = depends_on(&plan.retyped) || depends_on(&plan.dropped);
    let shape = Shape {
        swap: d.kind == Kind::Index && d.change == Change::Changed && !in_transaction,
        in_transaction,
        identity_added: steps.iter().any(|s| s.sql.contains(" ADD GENERATED ")),
    };
    for s in steps {
        step(s, &shape, plan, from, to, &mut out, &mut hazards);
    }
    // A swapped index is a new one, without the old one's comment.
    let rebuilt = out
        .iter()
        .find(|s| s.object.0 == Kind::Index && s.phase == Phase::After)
        .cloned();
    if let Some(index) = rebuilt.filter(|_| shape.swap)
        && !out.iter().any(|s| s.object.0 == Kind::Comment)
    {
        let comments = to
            .objects
            .values()
            .filter(|o| o.kind == Kind::Comment && o.parent == d.name);
        out.extend(comments.map(|c| Step {
            kind: Kind::Comment,
            sql: c.create.clone(),
            object: (Kind::Comment, c.name.clone()),
            ..index.clone()
        }));
    }
    if !shape.identity_added {
        d.hazards
            .retain(|h| !h.starts_with("SET NOT NULL reads all of"));
    }
    d.hazards.extend(hazards);
    d.steps = out;
}

/// One step, made online where it can be (its steps into `out`, what it
/// costs into `hazards`).
fn step(
    s: Step,
    shape: &Shape,
    plan: &Plan,
    from: &Schema,
    to: &Schema,
    out: &mut Vec<Step>,
    hazards: &mut Vec<String>,
) {
    let Some(obj) = to
        .objects
        .get(&s.object)
        .or_else(|| from.objects.get(&s.object))
    else {
        out.push(s);
        return;
    };
    let table = obj.parent.clone();
    // CONCURRENTLY does not work on a partitioned table's index.
    let partitioned = to
        .objects
        .get(&(Kind::Table, table.clone()))
        .is_some_and(|t| t.definition.contains("kind: partitioned"));
    if table.is_empty()
        || !kept(from, to, &plan.recreated, &table)
        || (partitioned && s.object.0 == Kind::Index)
    {
        out.push(s);
        return;
    }
    match (s.object.0, s.phase) {
        (Kind::Index, Phase::Create) if plan.needed.contains(&s.object) => {
            hazards.push(format!(
                "{} is built in the transaction, since what the transaction creates needs it (a foreign key): writes to {table} wait for the build",
                obj.name
            ));
            out.push(s);
        }
        (Kind::Index, Phase::Create) if shape.swap => {
            out.extend(index_swapped(&s, obj));
            hazards.push(format!(
                "{} is built again beside the old one, CONCURRENTLY, outside a transaction: if it fails, drop the INVALID index it leaves and run again",
                obj.name
            ));
        }
        (Kind::Index, Phase::Drop) if shape.swap => {}
        (Kind::Index, Phase::Drop) if shape.in_transaction => out.push(s),
        (Kind::Index, Phase::Create) => {
            out.push(after(
                &s,
                s.sql.replacen(" INDEX ", " INDEX CONCURRENTLY ", 1),
            ));
            hazards.push(format!(
                "{} is built CONCURRENTLY, outside a transaction: if it fails, drop the INVALID index it leaves and run again",
                obj.name
            ));
        }
        (Kind::Index, Phase::Drop) => {
            // IF EXISTS: a column the transaction drops takes its indexes with it.
            out.push(after(
                &s,
                s.sql
                    .replacen("DROP INDEX ", "DROP INDEX CONCURRENTLY IF EXISTS ", 1),
            ))
        }
        (Kind::Constraint, Phase::Create) if !plan.needed.contains(&s.object) => {
            out.extend(constraint(&s, obj, &table, hazards));
        }
        (Kind::Column, Phase::Create)
            if s.sql.ends_with(" SET NOT NULL") && !shape.identity_added =>
        {
            out.extend(not_null(&s, obj, &table));
        }
        _ => out.push(s),
    }
}

/// An index built after the transaction takes its comment with it:
/// COMMENT ON an index that does not exist yet fails.
fn comments_after_their_index(diffs: &mut [Difference], to: &Schema) {
    let built_after: BTreeSet<String> = diffs
        .iter()
        .flat_map(|d| &d.steps)
        .filter(|s| s.object.0 == Kind::Index && s.phase == Phase::After)
        .map(|s| s.object.1.clone())
        .collect();
    for s in diffs.iter_mut().flat_map(|d| d.steps.iter_mut()) {
        if s.object.0 == Kind::Comment
            && to
                .objects
                .get(&s.object)
                .is_some_and(|c| built_after.contains(&c.parent))
        {
            s.phase = Phase::After;
        }
    }
}

fn after(s: &Step, sql: String) -> Step {
    Step {
        phase: Phase::After,
        sql,
        ..s.clone()
    }
}

/// A changed index: the new one built beside the old, CONCURRENTLY, the
/// old dropped, the new one renamed (names from the catalog's parts).
fn index_swapped(s: &Step, index: &Object) -> Vec<Step> {
    let [schema, bare] = index.parts.as_slice() else {
        return vec![s.clone()];
    };
    let name = &index.name;
    let tmp = with_suffix(bare, "_neonops_new");
    let Some((head, tail)) = s.sql.split_once(" ON ") else {
        return vec![s.clone()];
    };
    let unique = if head.contains(" UNIQUE ") {
        "UNIQUE "
    } else {
        ""
    };
    vec![
        after(
            s,
            format!(
                "CREATE {unique}INDEX CONCURRENTLY {} ON {tail}",
                ident_min(&tmp)
            ),
        ),
        after(s, format!("DROP INDEX CONCURRENTLY IF EXISTS {name}")),
        after(
            s,
            format!(
                "ALTER INDEX {} RENAME TO {}",
                qualified(&[schema, &tmp]),
                ident_min(bare)
            ),
        ),
    ]
}

/// FK and CHECK: NOT VALID, then VALIDATE. UNIQUE and PRIMARY KEY of
/// plain columns: a unique index built concurrently, then USING INDEX.
fn constraint(s: &Step, con: &Object, table: &str, hazards: &mut Vec<String>) -> Vec<Step> {
    let def = con.definition.as_str();
    let Some(name) = con.bare().map(ident_min) else {
        return vec![s.clone()];
    };
    if (def.starts_with("FOREIGN KEY") || def.starts_with("CHECK")) && !def.ends_with("NOT VALID") {
        return vec![
            Step {
                sql: format!("{} NOT VALID", s.sql.trim_end_matches(';')),
                ..s.clone()
            },
            after(s, format!("ALTER TABLE {table} VALIDATE CONSTRAINT {name}")),
        ];
    }
    let (word, rest) = if let Some(r) = def.strip_prefix("PRIMARY KEY ") {
        ("PRIMARY KEY", r)
    } else if let Some(r) = def.strip_prefix("UNIQUE ") {
        ("UNIQUE", r)
    } else {
        return vec![s.clone()];
    };
    let (nulls, rest) = match rest.strip_prefix("NULLS NOT DISTINCT ") {
        Some(r) => (" NULLS NOT DISTINCT", r),
        None => ("", rest),
    };
    // Only `(cols)` and `(cols) INCLUDE (cols)`: anything else as it was.
    let plain = |t: &str| t.starts_with('(') && t.ends_with(')') && t.matches('(').count() == 1;
    let ok = match rest.split_once(" INCLUDE ") {
        Some((a, b)) => plain(a) && plain(b),
        None => plain(rest),
    };
    if !ok {
        return vec![s.clone()];
    }
    if word == "PRIMARY KEY" {
        hazards.push(format!(
            "the primary key {name} sets NOT NULL on its columns, which scans {table} under ACCESS EXCLUSIVE if they allow NULL"
        ));
    }
    hazards.push(format!(
        "the index of {name} is built CONCURRENTLY, outside a transaction: if it fails, drop the INVALID index it leaves and run again"
    ));
    vec![
        after(
            s,
            format!("CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} USING btree {rest}{nulls}"),
        ),
        after(
            s,
            format!("ALTER TABLE {table} ADD CONSTRAINT {name} {word} USING INDEX {name}"),
        ),
    ]
}

/// SET NOT NULL through a validated CHECK (PostgreSQL then skips its scan).
fn not_null(s: &Step, column: &Object, table: &str) -> Vec<Step> {
    let Some(bare) = column.bare() else {
        return vec![s.clone()];
    };
    let col = ident_min(bare);
    let check = ident_min(&with_suffix(bare, "_not_null_neonops"));
    vec![
        Step {
            sql: format!(
                "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID"
            ),
            ..s.clone()
        },
        after(
            s,
            format!("ALTER TABLE {table} VALIDATE CONSTRAINT {check}"),
        ),
        after(s, s.sql.clone()),
        after(s, format!("ALTER TABLE {table} DROP CONSTRAINT {check}")),
    ]
}
