//! A table (or any object) added or removed is one difference, its parts
//! with it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Difference, Kind, Schema, Step, order};

/// An object added or removed is one difference with what belongs to it
/// (a table's columns, constraints, indexes, triggers, rules and
/// policies; any object's comments and grants), whatever the depth: an
/// added table's CREATE gets its columns in full, the rest follows it; a
/// DROP takes its parts with it.
pub(super) fn fold_tables(diffs: &mut Vec<Difference>, from: &Schema, to: &Schema) {
    // What can be a parent: a sequence's owner shares its sequence's name
    // and is nobody's parent.
    // By name and change: a view that becomes a table of the same name is
    // one object removed and one added.
    let whole: BTreeSet<(String, Change)> = diffs
        .iter()
        .filter(|d| d.change != Change::Changed && d.kind != Kind::SequenceOwner)
        .map(|d| (d.name.clone(), d.change))
        .collect();
    if whole.is_empty() {
        return;
    }
    let (from_up, to_up) = (super::parents_by_name(from), super::parents_by_name(to));
    // The outermost object, added or removed as this one is, it belongs to.
    let root_of = |d: &Difference| -> Option<(String, Change)> {
        // Sequences and their ownership are said on their own: a new
        // sequence comes before the table whose default uses it, and one
        // owned by a table that goes may be kept (renamed tables).
        if matches!(d.kind, Kind::Sequence | Kind::SequenceOwner) {
            return None;
        }
        let (side, up) = if d.change == Change::Removed {
            (from, &from_up)
        } else {
            (to, &to_up)
        };
        let mut root = None;
        let mut cur = side
            .objects
            .get(&(d.kind, d.name.clone()))
            .map(|o| o.parent.as_str())
            .filter(|p| !p.is_empty())?;
        let mut depth = 0;
        while whole.contains(&(cur.to_string(), d.change)) && depth < 8 {
            root = Some((cur.to_string(), d.change));
            depth += 1;
            match up.get(cur) {
                Some(p) => cur = p,
                None => break,
            }
        }
        root
    };
    let crossing = foreign_keys_in_cycles(diffs, from);
    let mut children: BTreeMap<(String, Change), Vec<Difference>> = BTreeMap::new();
    let mut rest = Vec::new();
    for d in diffs.drain(..) {
        match root_of(&d) {
            Some(_) if crossing.contains(&d.name) && d.kind == Kind::Constraint => rest.push(d),
            Some(r) if r.0 != d.name => children.entry(r).or_default().push(d),
            _ => rest.push(d),
        }
    }
    for d in &mut rest {
        let Some(kids) = children.remove(&(d.name.clone(), d.change)) else {
            continue;
        };
        if d.change != Change::Added {
            // The DROP takes its parts; what they made go and come back
            // around them (a view over a dropped column) stays.
            for k in kids {
                let own = (k.kind, k.name.clone());
                let others: Vec<Step> = k.steps.into_iter().filter(|s| s.object != own).collect();
                if !others.is_empty() {
                    d.steps.extend(others);
                    d.hazards.extend(
                        k.hazards
                            .into_iter()
                            .filter(|h| !h.starts_with("data loss")),
                    );
                }
            }
            continue;
        }
        let mut columns: Vec<(i64, &str)> = Vec::new();
        let mut after: Vec<Step> = Vec::new();
        for k in &kids {
            let own_column = d.kind == Kind::Table
                && k.kind == Kind::Column
                && to
                    .objects
                    .get(&(Kind::Column, k.name.clone()))
                    .is_some_and(|c| c.parent == d.name);
            match k.steps.first() {
                Some(s) if own_column => {
                    // `ALTER TABLE … ADD COLUMN spec[;\nALTER … SET STORAGE …]`
                    let (add, more) = s.sql.split_once(";\n").unwrap_or((&s.sql, ""));
                    if let Some((_, spec)) = add.split_once(" ADD COLUMN ") {
                        columns.push((s.position, spec));
                    }
                    if !more.is_empty() {
                        after.push(Step {
                            sql: more.to_string(),
                            ..s.clone()
                        });
                    }
                }
                _ => after.extend(k.steps.iter().cloned()),
            }
        }
        // In the table's order.
        columns.sort();
        let columns: Vec<&str> = columns.into_iter().map(|(_, c)| c).collect();
        if let Some(first) = d.steps.first_mut() {
            first.sql = with_columns(&first.sql, &columns);
        }
        after.sort_by_key(order);
        d.steps.extend(after);
    }
    *diffs = rest;
}

/// The foreign keys of removed tables that reference each other in a
/// cycle (a → b → a): neither DROP TABLE can go first while both keys are
/// there, so these keys are dropped on their own, before the tables.
fn foreign_keys_in_cycles(diffs: &[Difference], from: &Schema) -> BTreeSet<String> {
    let removed: BTreeSet<&str> = diffs
        .iter()
        .filter(|d| d.kind == Kind::Table && d.change == Change::Removed)
        .map(|d| d.name.as_str())
        .collect();
    // The table a key of `from` references, when it is another removed one.
    let table_of = |k: &(Kind, String)| -> Option<&str> {
        let o = from.objects.get(k)?;
        let t = if k.0 == Kind::Column {
            o.parent.as_str()
        } else {
            o.name.as_str()
        };
        removed.get(t).copied()
    };
    let mut keys: Vec<(&str, &str, &str)> = Vec::new(); // (key, its table, referenced)
    for d in diffs
        .iter()
        .filter(|d| d.kind == Kind::Constraint && d.change == Change::Removed)
    {
        let Some(o) = from.objects.get(&(Kind::Constraint, d.name.clone())) else {
            continue;
        };
        if !removed.contains(o.parent.as_str()) || !o.definition.starts_with("FOREIGN KEY") {
            continue;
        }
        let deps = from.deps.get(&(Kind::Constraint, d.name.clone()));
        for t in deps.into_iter().flatten().filter_map(table_of) {
            if t != o.parent {
                keys.push((d.name.as_str(), o.parent.as_str(), t));
            }
        }
    }
    // Whether `to` reaches `start` through the keys.
    let reaches = |start: &str, to: &str| {
        let (mut seen, mut stack) = (BTreeSet::new(), vec![to]);
        while let Some(t) = stack.pop() {
            if t == start {
                return true;
            }
            if seen.insert(t) {
                stack.extend(keys.iter().filter(|k| k.1 == t).map(|k| k.2));
            }
        }
        false
    };
    keys.iter()
        .filter(|(_, table, to)| reaches(table, to))
        .map(|(k, _, _)| k.to_string())
        .collect()
}

/// `CREATE TABLE t (a integer, b text)…` with the columns in full
/// (defaults, NOT NULL, identity) instead of the catalog's bare list.
pub(super) fn with_columns(create: &str, columns: &[&str]) -> String {
    if columns.is_empty() || create.contains(" PARTITION OF ") {
        return create.to_string();
    }
    let (Some(open), Some(close)) = (create.find(" ("), find_close(create)) else {
        return create.to_string();
    };
    format!(
        "{} (\n    {}\n){}",
        &create[..open],
        columns.join(",\n    "),
        &create[close + 1..]
    )
}

/// The parenthesis that closes the table's column list.
fn find_close(create: &str) -> Option<usize> {
    let open = create.find(" (")? + 1;
    let mut depth = 0;
    let mut quoted = false;
    for (i, c) in create[open..].char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}
