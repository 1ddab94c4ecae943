//! Tables that change what they are: a partition detached or attached, a
//! parent no longer or newly inherited (their data kept), and a table
//! whose kind or partition key changes, which PostgreSQL cannot alter: it
//! is dropped and created with all its parts.

use std::collections::{BTreeMap, BTreeSet};

use super::definition::properties;
use super::{Key, Kind, Object, Phase, Schema, Step, step};

/// A partition's parent and bound (`partition of: parent BOUND`): the
/// parent is the catalog's, by name, the bound what follows it.
fn partition_of(t: &Object) -> Option<(&str, &str)> {
    let p = properties(&t.definition).get("partition of").copied()?;
    let parent = t.parents.first()?;
    Some((
        parent.as_str(),
        p.strip_prefix(parent.as_str())?.trim_start(),
    ))
}

/// The tables a table inherits from (`INHERITS`), in order.
fn inherits(t: &Object) -> Vec<&str> {
    match partition_of(t) {
        Some(_) => Vec::new(),
        None => t.parents.iter().map(String::as_str).collect(),
    }
}

/// Where a table's columns come from besides itself: its partition
/// parent, or the tables it inherits from (the catalog gives them).
fn parents_of(t: &Object) -> Vec<&str> {
    t.parents.iter().map(String::as_str).collect()
}

/// The tables that are a partition of, or inherit from, other parents on
/// one side than on the other: on each side, the columns they get from a
/// parent are the parent's (the catalog reader leaves inherited columns
/// out), so that the plan makes the two sides' own columns agree before
/// the table is attached or inherits. The sides with those columns added,
/// where any were.
pub(super) fn with_inherited_columns(
    from: &Schema,
    to: &Schema,
) -> (Option<Schema>, Option<Schema>) {
    let moved: Vec<&str> = to
        .objects
        .iter()
        .filter(|(k, _)| k.0 == Kind::Table)
        .filter_map(|(k, t)| {
            let f = from.objects.get(k)?;
            (parents_of(f) != parents_of(t)).then_some(t.name.as_str())
        })
        .collect();
    if moved.is_empty() {
        return (None, None);
    }
    let add = |side: &Schema| -> Option<Schema> {
        let mut copy: Option<Schema> = None;
        for &table in &moved {
            let Some(t) = side.objects.get(&(Kind::Table, table.to_string())) else {
                continue;
            };
            let parents = parents_of(t);
            let columns: Vec<Object> = side
                .objects
                .values()
                .filter(|o| o.kind == Kind::Column && parents.contains(&o.parent.as_str()))
                .filter(|c| {
                    !side.objects.contains_key(&(
                        Kind::Column,
                        format!("{table}{}", &c.name[c.parent.len()..]),
                    ))
                })
                .map(|c| {
                    let parent = c.parent.as_str();
                    let col = c.name[parent.len()..].trim_start_matches('.');
                    let on =
                        |sql: &str| sql.replacen(&format!(" {parent} "), &format!(" {table} "), 1);
                    Object {
                        kind: Kind::Column,
                        name: format!("{table}.{col}"),
                        parent: table.to_string(),
                        definition: c.definition.clone(),
                        create: on(&c.create),
                        drop: on(&c.drop),
                        position: t.position * 10_000 + c.position % 10_000,
                        parts: t
                            .parts
                            .iter()
                            .cloned()
                            .chain(c.bare().map(str::to_string))
                            .collect(),
                        parents: Vec::new(),
                    }
                })
                .collect();
            let s = copy.get_or_insert_with(|| side.clone());
            for c in columns {
                s.objects.insert((Kind::Column, c.name.clone()), c);
            }
        }
        copy
    };
    (add(from), add(to))
}

/// A table's steps when its parents change: a partition detached from the
/// old parent (or an inheritance let go of) before anything is dropped,
/// attached to the new one (or inherited) once its columns are the
/// parent's.
pub(super) fn parents_change(f: &Object, t: &Object) -> (Vec<Step>, Vec<String>) {
    let (was, is) = (partition_of(f), partition_of(t));
    let mut steps = Vec::new();
    let mut hazards = Vec::new();
    // Inheritance: let go of the old parents first, take the new ones last.
    let (had, has) = (inherits(f), inherits(t));
    if had != has {
        for p in had.iter().filter(|p| !has.contains(p)) {
            steps.push(step(
                Phase::Drop,
                f,
                format!("ALTER TABLE {} NO INHERIT {p}", f.name),
            ));
        }
        for p in has.iter().filter(|p| !had.contains(p)) {
            steps.push(step(
                Phase::Late,
                t,
                format!("ALTER TABLE {} INHERIT {p}", t.name),
            ));
        }
        if had
            .iter()
            .filter(|p| has.contains(p))
            .ne(has.iter().filter(|p| had.contains(p)))
        {
            hazards.push(format!(
                "{}: the order of its parents differs; it is not changed (PostgreSQL keeps the order they were taken in)",
                t.name
            ));
        }
    }
    if was == is {
        return (steps, hazards);
    }
    if let Some((parent, _)) = was {
        steps.push(step(
            Phase::Drop,
            f,
            format!("ALTER TABLE {parent} DETACH PARTITION {}", f.name),
        ));
        hazards.push(format!(
            "DETACH PARTITION takes ACCESS EXCLUSIVE on {parent} and {}",
            f.name
        ));
    }
    if let Some((parent, bound)) = is {
        steps.push(step(
            Phase::Late,
            t,
            format!("ALTER TABLE {parent} ATTACH PARTITION {} {bound}", t.name),
        ));
        hazards.push(format!(
            "ATTACH PARTITION reads all of {} under ACCESS EXCLUSIVE to check its rows fit {bound} (a matching CHECK constraint added first lets PostgreSQL skip the scan)",
            t.name
        ));
    }
    (steps, hazards)
}

/// The objects PostgreSQL cannot turn into what the other side has: the
/// tables that become partitioned or plain, or get another partition key,
/// and all their parts (columns, constraints, indexes, their comments and
/// grants; not a sequence they own, which is let go of and owned again).
/// Dropped and created whole.
pub(super) fn remade<'s>(from: &Schema, to: &'s Schema) -> BTreeSet<&'s Key> {
    let tables: BTreeSet<&str> = to
        .objects
        .iter()
        .filter(|(k, _)| k.0 == Kind::Table)
        .filter_map(|(k, t)| {
            let f = from.objects.get(k)?;
            let (a, b) = (properties(&f.definition), properties(&t.definition));
            (a.get("kind") != b.get("kind") || a.get("partition by") != b.get("partition by"))
                .then_some(t.name.as_str())
        })
        .collect();
    if tables.is_empty() {
        return BTreeSet::new();
    }
    let (from_up, to_up) = (super::parents_by_name(from), super::parents_by_name(to));
    // Whether `o` is one of `tables` or part of one, up to four levels.
    let within = |o: &Object, up: &BTreeMap<&str, &str>| {
        if o.kind == Kind::Sequence {
            return false;
        }
        let mut cur = Some(o.name.as_str());
        let mut next = Some(o.parent.as_str()).filter(|p| !p.is_empty());
        for _ in 0..4 {
            let Some(n) = cur else { return false };
            if tables.contains(n) {
                return true;
            }
            cur = next;
            next = cur.and_then(|c| up.get(c).copied());
        }
        false
    };
    to.objects
        .iter()
        .filter(|(k, o)| {
            within(o, &to_up) || from.objects.get(*k).is_some_and(|f| within(f, &from_up))
        })
        .map(|(k, _)| k)
        .collect()
}
