//! The differences between two schemas, `from` and `to`, each with the SQL
//! that turns `from` into `to`: an object only in `to` is added (its
//! CREATE), one only in `from` removed (its DROP), one in both with another
//! definition changed (an ALTER where PostgreSQL has one for the property
//! that changed, else DROP and CREATE). A table added or removed is one
//! difference, its columns, constraints, indexes, triggers and policies
//! with it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Key, Kind, Object, Schema, order};

mod alter;
mod canonical;
mod definition;
mod dependents;
mod enums;
mod fold;
mod online;
mod partitions;
mod privileges;
mod script;

use alter::{
    column_change, composite_change, domain_change, extension_change, header, table_change,
};
use enums::{enum_change, users};
use fold::fold_tables;
pub use script::{
    CHECK_BODIES_OFF, Planned, Timeouts, Unparsable, check_parses, creates_routines, plan, script,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// In `to`, not in `from`.
    Added,
    /// In `from`, not in `to`.
    Removed,
    Changed,
}

/// When a step runs: drops first (dependents before what they depend
/// on), then the rest in creation order, then the drops of what a change
/// of the second phase may stop using (types, functions, sequences,
/// schemas: a column's type or default changed away from them).
/// `Before` and `After` run outside the transaction: a new enum label
/// (committed before anything uses it), and what cannot run in one
/// (`CREATE INDEX CONCURRENTLY`) or should not hold its locks with the
/// rest (`VALIDATE CONSTRAINT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Before,
    Drop,
    Create,
    Late,
    After,
}

impl Phase {
    /// Whether it runs inside the plan's transaction.
    pub fn in_transaction(self) -> bool {
        matches!(self, Phase::Drop | Phase::Create | Phase::Late)
    }
}

#[derive(Debug, Clone)]
struct Step {
    phase: Phase,
    kind: Kind,
    position: i64,
    sql: String,
    /// The object it creates, changes or drops (its dependencies order it).
    object: Key,
    /// Its place in the plan.
    seq: usize,
}

/// One difference.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub kind: Kind,
    pub name: String,
    pub change: Change,
    /// The SQL that turns `from` into `to` for this object.
    pub sql: String,
    /// What makes it risky on a live database: data loss, a rewrite.
    pub hazards: Vec<String>,
    /// The definitions on each side (None where it is absent).
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(skip)]
    steps: Vec<Step>,
}

/// The differences, in the order their SQL runs.
pub fn compare(from: &Schema, to: &Schema) -> Vec<Difference> {
    // Enum types as a column's type names them (unqualified when visible).
    let enums: BTreeSet<String> = to
        .objects
        .values()
        .chain(from.objects.values())
        .filter(|o| o.kind == Kind::Enum)
        .flat_map(|o| [Some(o.name.clone()), o.bare().map(crate::quote::ident_min)])
        .flatten()
        .collect();
    // A partition's columns are its parent's where it changes parent.
    let (from_copy, to_copy) = partitions::with_inherited_columns(from, to);
    let (from, to) = (
        from_copy.as_ref().unwrap_or(from),
        to_copy.as_ref().unwrap_or(to),
    );
    let remade = partitions::remade(from, to);
    let mut out = Vec::new();
    for (key, o) in &to.objects {
        match from.objects.get(key) {
            None => out.push(added(o)),
            Some(f) if remade.contains(key) => {
                out.push(removed(f));
                out.push(added(o));
            }
            Some(f) if differs(f, o) => out.push(changed(f, o, &enums, from, to)),
            Some(_) => {}
        }
    }
    for (key, f) in &from.objects {
        if !to.objects.contains_key(key) {
            out.push(removed(f));
        }
    }
    dependents::recreate(&mut out, from, to);
    early_enough(&mut out, from);
    privileges::undo_defaults(&mut out, from, to);
    online::make_online(&mut out, from, to);
    fold_tables(&mut out, from, to);
    place(&mut out, from, to);
    // Each difference's SQL: its statements in the order they run.
    for d in &mut out {
        d.steps.sort_by_key(|s| s.seq);
        d.sql = d
            .steps
            .iter()
            .map(|s| terminated(&s.sql))
            .collect::<Vec<_>>()
            .join("\n");
    }
    out.sort_by_key(|d| d.steps.iter().map(|s| s.seq).min().unwrap_or(usize::MAX));
    out
}

/// A removed type, routine or schema is dropped last (a changed column
/// may use it until then), unless it depends on something dropped in the
/// first phase (a routine that returns a view's row type): then before it.
fn early_enough(diffs: &mut [Difference], from: &Schema) {
    let mut first: BTreeSet<Key> = diffs
        .iter()
        .flat_map(|d| &d.steps)
        .filter(|s| s.phase == Phase::Drop)
        .map(|s| s.object.clone())
        .collect();
    loop {
        let mut moved = false;
        for s in diffs.iter_mut().flat_map(|d| d.steps.iter_mut()) {
            if s.phase == Phase::Late
                && from
                    .deps
                    .get(&s.object)
                    .is_some_and(|ds| ds.iter().any(|d| first.contains(d)))
            {
                s.phase = Phase::Drop;
                first.insert(s.object.clone());
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// Number every step in the order it runs: phase by phase, each phase
/// in the order of the dependency graph ([`order::sort`]).
fn place(diffs: &mut [Difference], from: &Schema, to: &Schema) {
    let mut seq = 0;
    for phase in [
        Phase::Before,
        Phase::Drop,
        Phase::Create,
        Phase::Late,
        Phase::After,
    ] {
        let at: Vec<(usize, usize)> = diffs
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                d.steps
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.phase == phase)
                    .map(move |(j, _)| (i, j))
            })
            .collect();
        let nodes: Vec<order::Node> = at
            .iter()
            .map(|&(i, j)| {
                let s = &diffs[i].steps[j];
                let (_, a, b) = order(s);
                order::Node {
                    phase_builds: matches!(phase, Phase::Before | Phase::Create | Phase::After),
                    object: &s.object,
                    tie: (a, b),
                }
            })
            .collect();
        let sorted = order::sort(&nodes, from, to);
        drop(nodes);
        for n in sorted {
            let (i, j) = at[n];
            diffs[i].steps[j].seq = seq;
            seq += 1;
        }
    }
}

/// Whether two definitions of one object differ: expressions count
/// without their casts and parentheses ([`canonical`]).
fn differs(f: &Object, t: &Object) -> bool {
    use Kind::*;
    f.definition != t.definition
        && (!matches!(
            t.kind,
            Constraint | Index | MaterializedViewIndex | Policy | Trigger | Column | Domain
        ) || canonical::canonical(&f.definition) != canonical::canonical(&t.definition))
}

/// Each object's parent, by name (a sequence's owner shares its
/// sequence's name and is nobody's parent).
fn parents_by_name(side: &Schema) -> BTreeMap<&str, &str> {
    side.objects
        .values()
        .filter(|o| !o.parent.is_empty() && o.kind != Kind::SequenceOwner)
        .map(|o| (o.name.as_str(), o.parent.as_str()))
        .collect()
}

/// Dropped, then created as the other side has it.
fn remade(f: &Object, t: &Object) -> Vec<Step> {
    vec![
        step(Phase::Drop, f, &f.drop),
        step(Phase::Create, t, &t.create),
    ]
}

/// A statement ended with one `;`.
fn terminated(sql: &str) -> String {
    format!("{};", sql.trim_end().trim_end_matches(';'))
}

/// A step's place in the script.
fn order(s: &Step) -> (Phase, i64, i64) {
    let rank = s.kind as i64;
    match s.phase {
        Phase::Drop => (Phase::Drop, -rank, -s.position),
        Phase::Create => (Phase::Create, rank, s.position),
        Phase::Late => (Phase::Late, -rank, -s.position),
        Phase::Before | Phase::After => (s.phase, rank, s.position),
    }
}

fn step(phase: Phase, o: &Object, sql: impl Into<String>) -> Step {
    Step {
        phase,
        kind: o.kind,
        position: o.position,
        sql: sql.into(),
        object: (o.kind, o.name.clone()),
        seq: 0,
    }
}

fn difference(o: &Object, change: Change, steps: Vec<Step>, hazards: Vec<String>) -> Difference {
    Difference {
        kind: o.kind,
        name: o.name.clone(),
        change,
        // Written once the steps are all there and in order (`compare`).
        sql: String::new(),
        hazards,
        from: None,
        to: None,
        steps,
    }
}

fn added(o: &Object) -> Difference {
    let mut d = difference(
        o,
        Change::Added,
        vec![step(Phase::Create, o, &o.create)],
        Vec::new(),
    );
    d.to = Some(o.definition.clone());
    d
}

fn removed(o: &Object) -> Difference {
    let hazards = match o.kind {
        Kind::Table | Kind::Column | Kind::MaterializedView | Kind::Sequence => {
            vec![format!(
                "data loss: drops {} {} and its data",
                o.kind.label(),
                o.name
            )]
        }
        _ => Vec::new(),
    };
    // What a column, a default or a view may still use until the second
    // phase has changed them.
    let phase = if o.kind <= Kind::TextSearchConfiguration {
        Phase::Late
    } else {
        Phase::Drop
    };
    let mut d = difference(o, Change::Removed, vec![step(phase, o, &o.drop)], hazards);
    d.from = Some(o.definition.clone());
    d
}

/// The columns of a type on both sides: the others are added, dropped, or
/// change their type anyway.
fn kept_users<'a>(f: &Object, t: &Object, from: &Schema, to: &'a Schema) -> Vec<&'a Object> {
    let before: BTreeSet<&str> = users(from, f)
        .into_iter()
        .map(|c| c.name.as_str())
        .collect();
    users(to, t)
        .into_iter()
        .filter(|c| before.contains(c.name.as_str()))
        .collect()
}

fn changed(
    f: &Object,
    t: &Object,
    enums: &BTreeSet<String>,
    from: &Schema,
    to: &Schema,
) -> Difference {
    // Domains and composite types where PostgreSQL alters them in place.
    let in_place = match t.kind {
        Kind::Domain => domain_change(f, t),
        Kind::Type => composite_change(f, t),
        _ => None,
    };
    let (steps, hazards) = match t.kind {
        Kind::Column => column_change(f, t, enums),
        Kind::Table => table_change(f, t),
        Kind::Enum => enum_change(f, t, &kept_users(f, t, from, to)),
        Kind::Sequence => alter::sequence_change(f, t),
        Kind::Extension => extension_change(f, t),
        Kind::Domain | Kind::Type if in_place.is_some() => in_place.unwrap_or_default(),
        // Attributes reordered: a column's values cannot be converted
        // through their text (positional), so the type is dropped and made.
        Kind::Type => (
            remade(f, t),
            vec![format!(
                "composite type {} is dropped and created (PostgreSQL cannot reorder its attributes, nor put a new one before a kept one): PostgreSQL refuses while a column uses it; convert those columns by hand (ROW((c).a, (c).b)::new_type)",
                t.name
            )],
        ),
        // What it publishes, or which changes: made again, at once.
        Kind::Publication => (
            remade(f, t),
            vec![format!(
                "publication {} is dropped and created in the plan's transaction: its subscribers see the new one from the COMMIT",
                t.name
            )],
        ),
        // Another base type or collation: made again around its columns.
        Kind::Domain => (
            enums::recreated_around(f, t, &kept_users(f, t, from, to), "DOMAIN"),
            vec![format!(
                "domain {} is recreated (PostgreSQL cannot change its base type): its columns are converted through their text and rewritten under ACCESS EXCLUSIVE",
                t.name
            )],
        ),
        // Let go of the old owner before it is dropped; the new one once it exists.
        Kind::SequenceOwner => (remade(f, t), Vec::new()),
        // CREATE OR REPLACE while the signature and result stay; else
        // PostgreSQL refuses it, and the routine is dropped and created.
        Kind::Function | Kind::Procedure if header(&f.definition) == header(&t.definition) => {
            (vec![step(Phase::Create, t, &t.create)], Vec::new())
        }
        // A statement that sets it.
        Kind::Comment => (vec![step(Phase::Create, t, &t.create)], Vec::new()),
        // A view is dropped and created (CREATE OR REPLACE cannot rename,
        // reorder or drop its columns), and what depends on it with it.
        _ => (remade(f, t), Vec::new()),
    };
    let mut d = difference(t, Change::Changed, steps, hazards);
    d.from = Some(f.definition.clone());
    d.to = Some(t.definition.clone());
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: Kind, name: &str, parent: &str, def: &str, create: &str, drop: &str) -> Object {
        Object {
            kind,
            name: name.into(),
            parent: parent.into(),
            definition: def.into(),
            create: create.into(),
            drop: drop.into(),
            position: 0,
            parts: Vec::new(),
            parents: Vec::new(),
        }
    }

    #[test]
    fn an_added_table_is_one_difference_with_its_columns_in_full() {
        let mut to = Schema::default();
        for o in [
            obj(
                Kind::Table,
                "public.t",
                "",
                "kind: table",
                "CREATE TABLE public.t (id integer, note text)",
                "DROP TABLE public.t",
            ),
            obj(
                Kind::Column,
                "public.t.id",
                "public.t",
                "type: integer",
                "ALTER TABLE public.t ADD COLUMN id integer GENERATED ALWAYS AS IDENTITY NOT NULL",
                "",
            ),
            obj(
                Kind::Column,
                "public.t.note",
                "public.t",
                "type: text",
                "ALTER TABLE public.t ADD COLUMN note text DEFAULT 'x'::text",
                "",
            ),
            obj(
                Kind::Index,
                "public.t_note",
                "public.t",
                "",
                "CREATE INDEX t_note ON public.t USING btree (note)",
                "",
            ),
        ] {
            to.objects.insert((o.kind, o.name.clone()), o);
        }
        let d = compare(&Schema::default(), &to);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].sql,
            "CREATE TABLE public.t (\n    id integer GENERATED ALWAYS AS IDENTITY NOT NULL,\n    note text DEFAULT 'x'::text\n);\nCREATE INDEX t_note ON public.t USING btree (note);"
        );
        // And the other way: one DROP TABLE, a data-loss hazard.
        let back = compare(&to, &Schema::default());
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].sql, "DROP TABLE public.t;");
        assert!(back[0].hazards[0].starts_with("data loss"));
    }
}
