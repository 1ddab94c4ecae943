//! What depends on an object that the plan drops and creates again, or on
//! a column whose type it changes, must go first and come back after
//! (PostgreSQL refuses otherwise): views, materialized views and their
//! indexes, rules, policies, triggers, constraints, indexes, routines, a
//! column's default; and an object created again gets back its comments
//! and grants. Found in `from`'s dependency graph, transitively.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{Change, Difference, Phase, Step, step};
use crate::schema::{Key, Kind, Schema};

/// How a change disturbs what depends on its object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Disturbs {
    /// Dropped and created again: everything that depends on it.
    Everything,
    /// A column's type changed: what PostgreSQL does not rebuild itself.
    TypeUsers,
}

fn disturbs(kind: Kind, how: Disturbs) -> bool {
    use Kind::*;
    match how {
        Disturbs::Everything => matches!(
            kind,
            View | MaterializedView
                | MaterializedViewIndex
                | Index
                | Constraint
                | Trigger
                | Rule
                | Policy
                | Statistics
                | Publication
                | Function
                | Procedure
                | Aggregate
                | Operator
                | Cast
                | TextSearchConfiguration
                | Column
        ),
        Disturbs::TypeUsers => {
            matches!(
                kind,
                View | MaterializedView | MaterializedViewIndex | Rule | Policy | Trigger
            )
        }
    }
}

/// The objects each diff drops (and may create again), and the columns
/// whose type it changes.
fn disturbed(diffs: &[Difference]) -> Vec<(usize, Key, Disturbs)> {
    let mut out = Vec::new();
    for (i, d) in diffs.iter().enumerate() {
        if d.change == Change::Added {
            continue;
        }
        let mut seen = BTreeSet::new();
        for s in &d.steps {
            let drops = matches!(s.phase, Phase::Drop | Phase::Late);
            let how = if drops && s.object.0 != Kind::SequenceOwner {
                Disturbs::Everything
            } else if s.object.0 == Kind::Column
                && s.sql.contains(" ALTER COLUMN ")
                && s.sql.contains(" TYPE ")
            {
                Disturbs::TypeUsers
            } else {
                continue;
            };
            if seen.insert(s.object.clone()) {
                out.push((i, s.object.clone(), how));
            }
        }
    }
    out
}

/// Add the steps that take the dependents away and bring them back.
pub(super) fn recreate(diffs: &mut [Difference], from: &Schema, to: &Schema) {
    let mut users: BTreeMap<&Key, Vec<&Key>> = BTreeMap::new();
    for (k, ds) in &from.deps {
        for d in ds {
            users.entry(d).or_default().push(k);
        }
    }
    // Objects whose own difference already drops them.
    let mut gone: BTreeSet<Key> = diffs
        .iter()
        .flat_map(|d| d.steps.iter())
        .filter(|s| s.phase == Phase::Drop || s.phase == Phase::Late)
        .map(|s| s.object.clone())
        .collect();
    let mut restored: BTreeSet<Key> = BTreeSet::new();
    for (i, root, how) in disturbed(diffs) {
        restored.insert(root.clone());
        let mut queue: VecDeque<(Key, Disturbs)> = VecDeque::from([(root.clone(), how)]);
        let mut added: Vec<Step> = Vec::new();
        let mut hazards: Vec<String> = Vec::new();
        while let Some((k, how)) = queue.pop_front() {
            for u in users.get(&k).into_iter().flatten() {
                let u = (*u).clone();
                if !disturbs(u.0, how) || gone.contains(&u) {
                    continue;
                }
                let Some(before) = from.objects.get(&u) else {
                    continue;
                };
                if u.0 == Kind::Column {
                    // A default that uses a routine made again.
                    if matches!(k.0, Kind::Function | Kind::Procedure | Kind::Aggregate) {
                        added.extend(default_detached(before, to));
                    }
                    continue;
                }
                gone.insert(u.clone());
                added.push(step(Phase::Drop, before, &before.drop));
                if let Some(after) = to.objects.get(&u) {
                    added.push(step(Phase::Create, after, &after.create));
                    restored.insert(u.clone());
                }
                hazards.push(format!(
                    "recreates {} {} (it depends on {} {})",
                    u.0.label(),
                    u.1,
                    k.0.label(),
                    k.1
                ));
                // What depends on it goes too, whatever its kind.
                queue.push_back((u, Disturbs::Everything));
            }
        }
        let d = &mut diffs[i];
        d.hazards.extend(hazards);
        d.steps.extend(added);
    }
    give_back_attachments(diffs, to, &restored);
}

/// `DROP DEFAULT` before, `SET DEFAULT` after.
fn default_detached(column: &crate::schema::Object, to: &Schema) -> Vec<Step> {
    let Some(after) = to.objects.get(&(Kind::Column, column.name.clone())) else {
        return Vec::new();
    };
    let default = after
        .definition
        .lines()
        .find_map(|l| l.strip_prefix("default: "));
    let (table, col) = super::definition::table_and_column(column);
    let alter = |what: String| format!("ALTER TABLE {table} ALTER COLUMN {col} {what}");
    let mut out = vec![step(Phase::Drop, column, alter("DROP DEFAULT".into()))];
    if let Some(d) = default {
        out.push(step(
            Phase::Create,
            after,
            alter(format!("SET DEFAULT {d}")),
        ));
    }
    out
}

/// An object created again loses its comments and grants: they are given
/// back (unless a difference of their own already sets them).
fn give_back_attachments(diffs: &mut [Difference], to: &Schema, restored: &BTreeSet<Key>) {
    if restored.is_empty() {
        return;
    }
    let own: BTreeSet<Key> = diffs.iter().map(|d| (d.kind, d.name.clone())).collect();
    let names: BTreeSet<&str> = restored.iter().map(|k| k.1.as_str()).collect();
    let mut extra: BTreeMap<usize, Vec<Step>> = BTreeMap::new();
    for (k, o) in &to.objects {
        if !matches!(k.0, Kind::Comment | Kind::Grant)
            || !names.contains(o.parent.as_str())
            || own.contains(k)
        {
            continue;
        }
        // With the difference that recreated its object.
        let home = diffs.iter().position(|d| {
            d.steps
                .iter()
                .any(|s| s.object.1 == o.parent && s.phase == Phase::Create)
        });
        if let Some(i) = home {
            extra
                .entry(i)
                .or_default()
                .push(step(Phase::Create, o, &o.create));
        }
    }
    for (i, steps) in extra {
        diffs[i].steps.extend(steps);
    }
}
