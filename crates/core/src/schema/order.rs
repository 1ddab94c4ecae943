//! The order of a plan's statements, from PostgreSQL's own dependency graph
//! (`pg_depend`, read with each schema): within each phase, a statement that
//! creates or changes an object comes after those of what it depends on (in
//! the schema being built), and one that drops an object before those of
//! what it depends on (in the schema being left). The kinds' order of
//! creation, then the objects' own, break ties, so the order is the same
//! every run; a cycle is broken at its earliest statement by that order.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};

use super::{Key, Kind, Schema};

/// What the sort needs of a statement.
pub(super) struct Node<'a> {
    pub phase_builds: bool,
    /// The object it creates, changes or drops.
    pub object: &'a Key,
    /// Its place when nothing else decides: the kind's rank, the object's.
    pub tie: (i64, i64),
}

/// Each table's columns; with `whole`, all its parts (a DROP TABLE takes
/// its constraints, indexes, triggers, rules and policies with it, so it
/// comes before what they depend on: a foreign key on another table's
/// primary key).
fn parts(side: &Schema, whole: bool) -> HashMap<&str, Vec<&Key>> {
    use Kind::*;
    let mut out: HashMap<&str, Vec<&Key>> = HashMap::new();
    for (k, o) in &side.objects {
        let part = match k.0 {
            Column => true,
            Constraint | Index | Trigger | Rule | Policy | MaterializedViewIndex => whole,
            _ => false,
        };
        if part && !o.parent.is_empty() {
            out.entry(o.parent.as_str()).or_default().push(k);
        }
    }
    out
}

/// What `object` depends on in `side`; a table also what its parts do
/// (a table is created with its columns, dropped with all its parts).
/// A part with a statement of its own is left to it.
fn deps<'s>(
    side: &'s Schema,
    parts: &HashMap<&str, Vec<&'s Key>>,
    object: &Key,
    own: &HashMap<&Key, Vec<usize>>,
) -> BTreeSet<&'s Key> {
    let mut out: BTreeSet<&Key> = side.deps.get(object).into_iter().flatten().collect();
    if matches!(object.0, Kind::Table | Kind::MaterializedView) {
        let parts = parts.get(object.1.as_str()).into_iter().flatten();
        for k in parts.filter(|k| !own.contains_key(**k)) {
            out.extend(side.deps.get(*k).into_iter().flatten());
        }
    }
    out
}

/// The nodes' order (indices into `nodes`), all of one phase.
pub(super) fn sort(nodes: &[Node], from: &Schema, to: &Schema) -> Vec<usize> {
    let mut by_object: HashMap<&Key, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        by_object.entry(n.object).or_default().push(i);
    }
    // The statements that stand for an object: its own, else (a column
    // created with its table) its table's.
    let (from_parts, to_parts) = (parts(from, true), parts(to, false));
    let side_of = |n: &Node| {
        if n.phase_builds {
            (to, &to_parts)
        } else {
            (from, &from_parts)
        }
    };
    let standing_for = |side: &Schema, k: &Key, builds: bool| -> Vec<usize> {
        let mut v = by_object.get(k).cloned().unwrap_or_default();
        // What depends on a table goes before its parts go (a child let
        // go of before its parent loses a column).
        if !builds && k.0 == Kind::Table {
            for part in from_parts.get(k.1.as_str()).into_iter().flatten() {
                v.extend(by_object.get(*part).into_iter().flatten());
            }
        }
        if !v.is_empty() {
            return v;
        }
        if k.0 == Kind::Column
            && let Some(o) = side.objects.get(k)
        {
            return by_object
                .get(&(Kind::Table, o.parent.clone()))
                .cloned()
                .unwrap_or_default();
        }
        Vec::new()
    };
    let mut g = Graph::new(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        let (side, cols) = side_of(n);
        for d in deps(side, cols, n.object, &by_object) {
            for j in standing_for(side, d, n.phase_builds) {
                g.before(n.phase_builds, j, i);
            }
        }
    }
    part_edges(nodes, from, to, &mut g);
    // The statements of one object keep their own order.
    for v in by_object.values() {
        for w in v.windows(2) {
            g.edge(w[0], w[1]);
        }
    }
    g.sorted(nodes)
}

/// A part comes after what it is a part of (a column's statement after its
/// table's CREATE, a comment after its object's), and is dropped before it.
fn part_edges(nodes: &[Node], from: &Schema, to: &Schema, g: &mut Graph) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        by_name.entry(n.object.1.as_str()).or_default().push(i);
    }
    for (i, n) in nodes.iter().enumerate() {
        let side = if n.phase_builds { to } else { from };
        let Some(parent) = side.objects.get(n.object).map(|o| o.parent.as_str()) else {
            continue;
        };
        // An owned sequence's parent is its table, which uses it.
        if parent.is_empty() || n.object.0 == Kind::Sequence {
            continue;
        }
        // A column made with its table stands for nothing: its table does.
        let parent = match by_name.contains_key(parent) {
            true => parent,
            false => side
                .objects
                .get(&(Kind::Column, parent.to_string()))
                .map_or(parent, |c| c.parent.as_str()),
        };
        for &j in by_name.get(parent).into_iter().flatten() {
            if nodes[j].object.0 != n.object.0 {
                g.before(n.phase_builds, j, i);
            }
        }
    }
}

/// Which statement goes before which.
struct Graph {
    after: Vec<Vec<usize>>,
    waiting: Vec<usize>,
}

impl Graph {
    fn new(n: usize) -> Graph {
        Graph {
            after: vec![Vec::new(); n],
            waiting: vec![0; n],
        }
    }

    fn edge(&mut self, first: usize, then: usize) {
        if first != then {
            self.after[first].push(then);
            self.waiting[then] += 1;
        }
    }

    /// `needed` before `user` when building; the other way when dropping.
    fn before(&mut self, builds: bool, needed: usize, user: usize) {
        if builds {
            self.edge(needed, user)
        } else {
            self.edge(user, needed)
        }
    }

    /// The order: each statement once all before it are, ties by the
    /// nodes' own order; in a cycle, its earliest statement first.
    fn sorted(mut self, nodes: &[Node]) -> Vec<usize> {
        let key = |i: usize| Reverse((nodes[i].tie, i));
        let mut ready: BinaryHeap<Reverse<((i64, i64), usize)>> = (0..nodes.len())
            .filter(|&i| self.waiting[i] == 0)
            .map(key)
            .collect();
        let mut done = vec![false; nodes.len()];
        let mut out = Vec::with_capacity(nodes.len());
        while out.len() < nodes.len() {
            let i = match ready.pop() {
                Some(Reverse((_, i))) => i,
                None => (0..nodes.len())
                    .filter(|&i| !done[i])
                    .min_by_key(|&i| (nodes[i].tie, i))
                    .expect("a node is left"),
            };
            if done[i] {
                continue;
            }
            done[i] = true;
            out.push(i);
            for &j in &self.after[i] {
                self.waiting[j] = self.waiting[j].saturating_sub(1);
                if self.waiting[j] == 0 && !done[j] {
                    ready.push(key(j));
                }
            }
        }
        out
    }
}
