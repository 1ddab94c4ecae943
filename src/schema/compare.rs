//! The differences between two schemas, `from` and `to`, each with the SQL
//! that turns `from` into `to`: an object only in `to` is added (its
//! CREATE), one only in `from` removed (its DROP), one in both with another
//! definition changed (an ALTER where PostgreSQL has one for the property
//! that changed, else DROP and CREATE). A table added or removed is one
//! difference, its columns, constraints, indexes, triggers and policies
//! with it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Kind, Object, Schema};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
        .flat_map(|o| {
            [
                o.name.clone(),
                o.name.rsplit('.').next().unwrap_or_default().to_string(),
            ]
        })
        .collect();
    let mut out = Vec::new();
    for (key, o) in &to.objects {
        match from.objects.get(key) {
            None => out.push(added(o)),
            Some(f) if f.definition != o.definition => out.push(changed(f, o, &enums, from, to)),
            Some(_) => {}
        }
    }
    for (key, f) in &from.objects {
        if !to.objects.contains_key(key) {
            out.push(removed(f));
        }
    }
    fold_tables(&mut out, from, to);
    out.sort_by_key(|d| {
        d.steps
            .iter()
            .map(order)
            .min()
            .unwrap_or((Phase::Create, 0, 0))
    });
    out
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

/// One statement of the plan, in the order it runs.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub sql: String,
    pub phase: Phase,
    /// The difference it belongs to.
    pub kind: Kind,
    pub name: String,
    /// Said once, above the difference's first statement.
    pub hazards: Vec<String>,
}

/// Every step of every difference, in the order they run, each statement
/// ended with `;`.
pub fn plan(diffs: &[Difference]) -> Vec<Planned> {
    let mut steps: Vec<(&Difference, &Step)> = diffs
        .iter()
        .flat_map(|d| d.steps.iter().map(move |s| (d, s)))
        .collect();
    steps.sort_by_key(|(_, s)| order(s));
    let mut said: BTreeSet<(Kind, &str)> = BTreeSet::new();
    steps
        .into_iter()
        .map(|(d, s)| Planned {
            sql: format!("{};", s.sql.trim_end().trim_end_matches(';')),
            phase: s.phase,
            kind: d.kind,
            name: d.name.clone(),
            hazards: if said.insert((d.kind, &d.name)) {
                d.hazards.clone()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// A function's body may use a table created after it (and a table's
/// default may use a function): bodies are checked when they run, as
/// pg_dump's scripts do.
pub const CHECK_BODIES_OFF: &str = "SET check_function_bodies = off;";

/// Whether the plan creates functions or procedures.
pub fn creates_routines(planned: &[Planned]) -> bool {
    planned.iter().any(|p| {
        p.sql.starts_with("CREATE")
            && (p.sql.contains(" FUNCTION ") || p.sql.contains(" PROCEDURE "))
    })
}

/// Session settings for a script: the runner's timeouts.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub lock: std::time::Duration,
    pub statement: std::time::Duration,
}

/// The plan as a script `psql -v ON_ERROR_STOP=1 -f` runs as it is: new
/// enum labels first, then one transaction (with the runner's timeouts),
/// then what runs outside one; hazards as comments above their statement.
pub fn script(diffs: &[Difference], timeouts: Option<Timeouts>) -> String {
    let planned = plan(diffs);
    let mut out = String::new();
    if let Some(t) = timeouts
        && !planned.is_empty()
    {
        out.push_str(&format!("SET lock_timeout = '{}ms';\n", t.lock.as_millis()));
    }
    if creates_routines(&planned) {
        out.push_str(CHECK_BODIES_OFF);
        out.push('\n');
    }
    let mut open = false;
    for p in &planned {
        if p.phase.in_transaction() && !open {
            out.push_str("BEGIN;\n");
            if let Some(t) = timeouts {
                out.push_str(&format!(
                    "SET LOCAL statement_timeout = '{}ms';\n",
                    t.statement.as_millis()
                ));
            }
            open = true;
        }
        if !p.phase.in_transaction() && open {
            out.push_str("COMMIT;\n");
            open = false;
        }
        for h in &p.hazards {
            out.push_str(&format!("-- hazard: {h}\n"));
        }
        if p.phase == Phase::After {
            out.push_str("-- outside a transaction\n");
        }
        out.push_str(&p.sql);
        out.push('\n');
    }
    if open {
        out.push_str("COMMIT;\n");
    }
    out
}

fn step(phase: Phase, o: &Object, sql: impl Into<String>) -> Step {
    Step {
        phase,
        kind: o.kind,
        position: o.position,
        sql: sql.into(),
    }
}

fn difference(o: &Object, change: Change, steps: Vec<Step>, hazards: Vec<String>) -> Difference {
    Difference {
        kind: o.kind,
        name: o.name.clone(),
        change,
        sql: steps
            .iter()
            .map(|s| format!("{};", s.sql.trim_end().trim_end_matches(';')))
            .collect::<Vec<_>>()
            .join("\n"),
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
    let phase = if o.kind <= Kind::Aggregate {
        Phase::Late
    } else {
        Phase::Drop
    };
    let mut d = difference(o, Change::Removed, vec![step(phase, o, &o.drop)], hazards);
    d.from = Some(o.definition.clone());
    d
}

fn changed(
    f: &Object,
    t: &Object,
    enums: &BTreeSet<String>,
    from: &Schema,
    to: &Schema,
) -> Difference {
    let (steps, hazards) = match t.kind {
        Kind::Column => column_change(f, t, enums),
        Kind::Table => table_change(f, t),
        Kind::Enum => {
            // The columns of that type on both sides: the others are added,
            // dropped, or change their type anyway.
            let before: BTreeSet<&str> = users(from, &f.name)
                .into_iter()
                .map(|c| c.name.as_str())
                .collect();
            let kept: Vec<&Object> = users(to, &t.name)
                .into_iter()
                .filter(|c| before.contains(c.name.as_str()))
                .collect();
            enum_change(f, t, &kept)
        }
        Kind::Sequence => (
            vec![step(
                Phase::Create,
                t,
                format!("ALTER SEQUENCE {} {}", t.name, t.definition),
            )],
            Vec::new(),
        ),
        Kind::Extension => extension_change(f, t),
        // Let go of the old owner before it is dropped; the new one once it exists.
        Kind::SequenceOwner => (
            vec![
                step(Phase::Drop, f, &f.drop),
                step(Phase::Create, t, &t.create),
            ],
            Vec::new(),
        ),
        // CREATE OR REPLACE, or a statement that sets it.
        Kind::Function | Kind::Procedure | Kind::Comment => {
            (vec![step(Phase::Create, t, &t.create)], Vec::new())
        }
        Kind::View => (
            vec![step(
                Phase::Create,
                t,
                t.create
                    .replacen("CREATE VIEW", "CREATE OR REPLACE VIEW", 1),
            )],
            Vec::new(),
        ),
        _ => (
            vec![
                step(Phase::Drop, f, &f.drop),
                step(Phase::Create, t, &t.create),
            ],
            Vec::new(),
        ),
    };
    let mut d = difference(t, Change::Changed, steps, hazards);
    d.from = Some(f.definition.clone());
    d.to = Some(t.definition.clone());
    d
}

/// `key: value` lines (the catalog reader's tables and columns).
fn properties(def: &str) -> BTreeMap<&str, &str> {
    def.lines().filter_map(|l| l.split_once(": ")).collect()
}

/// `schema.table` and the column, from `schema.table.column`.
fn table_and_column(o: &Object) -> (&str, &str) {
    let column = o
        .name
        .strip_prefix(&o.parent)
        .map_or("", |c| c.trim_start_matches('.'));
    (&o.parent, column)
}

fn column_change(f: &Object, t: &Object, enums: &BTreeSet<String>) -> (Vec<Step>, Vec<String>) {
    let (a, b) = (properties(&f.definition), properties(&t.definition));
    let (table, col) = table_and_column(t);
    let alter = |what: String| {
        step(
            Phase::Create,
            t,
            format!("ALTER TABLE {table} ALTER COLUMN {col} {what}"),
        )
    };
    let mut steps = Vec::new();
    let mut hazards = Vec::new();
    if a.get("generated") != b.get("generated") {
        // A generation expression cannot be altered in PostgreSQL 15.
        hazards.push(format!(
            "recreates the generated column {col} (its values are computed again)"
        ));
        return (
            vec![
                step(
                    Phase::Create,
                    t,
                    format!("ALTER TABLE {table} DROP COLUMN {col}"),
                ),
                step(Phase::Create, t, &t.create),
            ],
            hazards,
        );
    }
    if a.get("type") != b.get("type") || a.get("collation") != b.get("collation") {
        let ty = b.get("type").copied().unwrap_or_default();
        let was = a.get("type").copied().unwrap_or_default();
        let collate = b
            .get("collation")
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        // To or from an enum there is no implicit cast: through its text.
        let is_enum = |t: &str| enums.contains(t.trim_end_matches("[]"));
        let using = if ty != was && (is_enum(ty) || is_enum(was)) {
            hazards.push(format!(
                "{col}'s values are converted from {was} to {ty} through their text: check the USING"
            ));
            format!(" USING {col}::text::{ty}")
        } else {
            String::new()
        };
        // A default of the old type may not cast: it goes first, and comes back.
        if a.contains_key("default") && !using.is_empty() {
            steps.push(alter("DROP DEFAULT".into()));
        }
        steps.push(alter(format!("TYPE {ty}{collate}{using}")));
        hazards.push(format!(
            "the type change of {col} may rewrite {table} under ACCESS EXCLUSIVE"
        ));
    }
    let default_dropped = steps.iter().any(|s| s.sql.ends_with("DROP DEFAULT"));
    if a.get("default") != b.get("default") || (default_dropped && b.contains_key("default")) {
        steps.push(match b.get("default") {
            Some(d) => alter(format!("SET DEFAULT {d}")),
            None => alter("DROP DEFAULT".into()),
        });
    }
    if a.get("not null") != b.get("not null") {
        steps.push(match b.get("not null") {
            Some(_) => {
                hazards.push(format!(
                    "SET NOT NULL reads all of {table} under ACCESS EXCLUSIVE"
                ));
                alter("SET NOT NULL".into())
            }
            None => alter("DROP NOT NULL".into()),
        });
    }
    if a.get("identity") != b.get("identity") {
        steps.push(match (a.get("identity"), b.get("identity")) {
            (None, Some(i)) => alter(format!("ADD GENERATED {} AS IDENTITY", i.to_uppercase())),
            (Some(_), None) => alter("DROP IDENTITY".into()),
            (_, Some(i)) => alter(format!("SET GENERATED {}", i.to_uppercase())),
            (None, None) => unreachable!("they differ"),
        });
    }
    if a.get("storage") != b.get("storage") {
        let s = b.get("storage").copied().unwrap_or("extended");
        steps.push(alter(format!("SET STORAGE {}", s.to_uppercase())));
    }
    (steps, hazards)
}

fn table_change(f: &Object, t: &Object) -> (Vec<Step>, Vec<String>) {
    let (a, b) = (properties(&f.definition), properties(&t.definition));
    let name = &t.name;
    let alter = |what: &str| step(Phase::Create, t, format!("ALTER TABLE {name} {what}"));
    let mut steps = Vec::new();
    let mut hazards = Vec::new();
    for key in ["kind", "partition by", "partition of", "inherits"] {
        if a.get(key) != b.get(key) {
            hazards.push(format!(
                "{name}: {key} differs ({} → {}); it cannot be changed in place: recreate the table",
                a.get(key).copied().unwrap_or("none"),
                b.get(key).copied().unwrap_or("none")
            ));
        }
    }
    if a.get("unlogged") != b.get("unlogged") {
        steps.push(alter(if b.contains_key("unlogged") {
            "SET UNLOGGED"
        } else {
            "SET LOGGED"
        }));
        hazards.push(format!(
            "changing {name} between logged and unlogged rewrites it"
        ));
    }
    if a.get("row level security") != b.get("row level security") {
        steps.push(alter(if b.contains_key("row level security") {
            "ENABLE ROW LEVEL SECURITY"
        } else {
            "DISABLE ROW LEVEL SECURITY"
        }));
    }
    if a.get("force row level security") != b.get("force row level security") {
        steps.push(alter(if b.contains_key("force row level security") {
            "FORCE ROW LEVEL SECURITY"
        } else {
            "NO FORCE ROW LEVEL SECURITY"
        }));
    }
    if a.get("options") != b.get("options") {
        if let Some(o) = a.get("options") {
            let keys: Vec<&str> = o
                .split(", ")
                .filter_map(|kv| kv.split('=').next())
                .collect();
            steps.push(alter(&format!("RESET ({})", keys.join(", "))));
        }
        if let Some(o) = b.get("options") {
            steps.push(alter(&format!("SET ({o})")));
        }
    }
    if a.get("replica identity") != b.get("replica identity") {
        match b.get("replica identity").copied() {
            Some("full") => steps.push(alter("REPLICA IDENTITY FULL")),
            Some("nothing") => steps.push(alter("REPLICA IDENTITY NOTHING")),
            Some(_) => hazards.push(format!(
                "{name}: REPLICA IDENTITY USING INDEX is not compared by index"
            )),
            None => steps.push(alter("REPLICA IDENTITY DEFAULT")),
        }
    }
    (steps, hazards)
}

/// `'a', 'b'` as PostgreSQL's quote_literal wrote them.
fn labels(def: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut inside = false;
    let mut chars = def.chars().peekable();
    while let Some(c) = chars.next() {
        match (inside, c) {
            (false, '\'') => inside = true,
            (true, '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
                cur.push('\'');
            }
            (true, '\'') => {
                inside = false;
                out.push(std::mem::take(&mut cur));
            }
            (true, c) => cur.push(c),
            _ => {}
        }
    }
    out
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The columns whose type is `ty` (or an array of it), as a column's
/// type names it: qualified, or bare when its schema is on the path.
fn users<'a>(side: &'a Schema, ty: &str) -> Vec<&'a Object> {
    let bare = ty.rsplit('.').next().unwrap_or(ty);
    side.objects
        .values()
        .filter(|o| o.kind == Kind::Column)
        .filter(|o| {
            properties(&o.definition)
                .get("type")
                .map(|t| t.trim_end_matches("[]"))
                .is_some_and(|t| t == ty || t == bare)
        })
        .collect()
}

/// Labels added where they belong (`ADD VALUE … BEFORE`), never the type
/// recreated; when a label is removed or they are reordered, which
/// PostgreSQL cannot do in place: the old type renamed, the new one
/// created, each column that used the old one (`users`) converted through
/// its text, the old type dropped at the end.
fn enum_change(f: &Object, t: &Object, users: &[&Object]) -> (Vec<Step>, Vec<String>) {
    let (old, new) = (labels(&f.definition), labels(&t.definition));
    let kept: Vec<&String> = new.iter().filter(|l| old.contains(l)).collect();
    if kept.len() != old.len() || !kept.iter().zip(&old).all(|(a, b)| *a == b) {
        return enum_recreated(f, t, users, &old, &new);
    }
    let mut steps = Vec::new();
    for (i, l) in new.iter().enumerate() {
        if old.contains(l) {
            continue;
        }
        let place = match new[i + 1..].iter().find(|x| old.contains(x)) {
            Some(next) => format!(" BEFORE {}", quote(next)),
            None => String::new(),
        };
        steps.push(step(
            Phase::Before,
            t,
            format!("ALTER TYPE {} ADD VALUE {}{place}", t.name, quote(l)),
        ));
    }
    (steps, Vec::new())
}

fn enum_recreated(
    f: &Object,
    t: &Object,
    users: &[&Object],
    old: &[String],
    new: &[String],
) -> (Vec<Step>, Vec<String>) {
    let (schema, bare) = t.name.rsplit_once('.').unwrap_or(("", &t.name));
    let aside = format!("\"{}__neonops_old\"", bare.trim_matches('"'));
    let aside_q = if schema.is_empty() {
        aside.clone()
    } else {
        format!("{schema}.{aside}")
    };
    let mut steps = vec![
        step(
            Phase::Drop,
            f,
            format!("ALTER TYPE {} RENAME TO {aside}", f.name),
        ),
        step(Phase::Create, t, &t.create),
    ];
    for c in users {
        let (table, col) = table_and_column(c);
        let props = properties(&c.definition);
        let ty = props.get("type").copied().unwrap_or_default();
        let alter = |what: String| {
            step(
                Phase::Create,
                c,
                format!("ALTER TABLE {table} ALTER COLUMN {col} {what}"),
            )
        };
        if props.contains_key("default") {
            steps.push(alter("DROP DEFAULT".into()));
        }
        steps.push(alter(format!("TYPE {ty} USING {col}::text::{ty}")));
        if let Some(d) = props.get("default") {
            steps.push(alter(format!("SET DEFAULT {d}")));
        }
    }
    steps.push(step(Phase::Late, f, format!("DROP TYPE {aside_q}")));
    let gone: Vec<&str> = old
        .iter()
        .filter(|l| !new.contains(l))
        .map(String::as_str)
        .collect();
    let mut hazards = vec![format!(
        "enum {} is recreated (PostgreSQL cannot remove or reorder labels in place): its columns are converted through their text and rewritten under ACCESS EXCLUSIVE",
        t.name
    )];
    if !gone.is_empty() {
        hazards.push(format!(
            "a row holding a removed label ({}) makes the conversion fail: update those rows first",
            gone.join(", ")
        ));
    }
    (steps, hazards)
}

fn extension_change(f: &Object, t: &Object) -> (Vec<Step>, Vec<String>) {
    let version = |d: &str| d.rsplit_once("version ").map(|(_, v)| v.to_string());
    let schema = |d: &str| {
        d.strip_prefix("schema ")
            .and_then(|s| s.split_once(',').map(|(s, _)| s.to_string()))
    };
    let mut steps = Vec::new();
    if schema(&f.definition) != schema(&t.definition)
        && let Some(s) = schema(&t.definition)
    {
        steps.push(step(
            Phase::Create,
            t,
            format!("ALTER EXTENSION {} SET SCHEMA {s}", t.name),
        ));
    }
    if version(&f.definition) != version(&t.definition)
        && let Some(v) = version(&t.definition)
    {
        steps.push(step(
            Phase::Create,
            t,
            format!("ALTER EXTENSION {} UPDATE TO {}", t.name, quote(&v)),
        ));
    }
    (steps, Vec::new())
}

/// An object added or removed is one difference with what belongs to it
/// (a table's columns, constraints, indexes, triggers, rules and
/// policies; any object's comments and grants), whatever the depth: an
/// added table's CREATE gets its columns in full, the rest follows it; a
/// DROP takes its parts with it.
fn fold_tables(diffs: &mut Vec<Difference>, from: &Schema, to: &Schema) {
    // What can be a parent: a sequence's owner shares its sequence's name
    // and is nobody's parent.
    let whole: BTreeMap<String, Change> = diffs
        .iter()
        .filter(|d| d.change != Change::Changed && d.kind != Kind::SequenceOwner)
        .map(|d| (d.name.clone(), d.change))
        .collect();
    if whole.is_empty() {
        return;
    }
    let parents = |side: &Schema| -> BTreeMap<(Kind, String), String> {
        side.objects
            .values()
            .filter(|o| !o.parent.is_empty())
            .map(|o| ((o.kind, o.name.clone()), o.parent.clone()))
            .collect()
    };
    let by_name = |p: &BTreeMap<(Kind, String), String>| -> BTreeMap<String, String> {
        p.iter()
            .filter(|((k, _), _)| *k != Kind::SequenceOwner)
            .map(|((_, n), parent)| (n.clone(), parent.clone()))
            .collect()
    };
    let (from_parents, to_parents) = (parents(from), parents(to));
    let (from_up, to_up) = (by_name(&from_parents), by_name(&to_parents));
    // The outermost object, added or removed as this one is, it belongs to.
    let root_of = |d: &Difference| -> Option<String> {
        // Sequences and their ownership are said on their own: a new
        // sequence comes before the table whose default uses it, and one
        // owned by a table that goes may be kept (renamed tables).
        if matches!(d.kind, Kind::Sequence | Kind::SequenceOwner) {
            return None;
        }
        let (own, up) = if d.change == Change::Removed {
            (&from_parents, &from_up)
        } else {
            (&to_parents, &to_up)
        };
        let mut root = None;
        let mut cur = own.get(&(d.kind, d.name.clone()))?;
        let mut depth = 0;
        while whole.get(cur) == Some(&d.change) && depth < 8 {
            root = Some(cur.clone());
            depth += 1;
            match up.get(cur) {
                Some(p) => cur = p,
                None => break,
            }
        }
        root
    };
    let mut children: BTreeMap<String, Vec<Difference>> = BTreeMap::new();
    let mut rest = Vec::new();
    for d in diffs.drain(..) {
        match root_of(&d) {
            Some(r) if r != d.name => children.entry(r).or_default().push(d),
            _ => rest.push(d),
        }
    }
    for d in &mut rest {
        let Some(kids) = children.remove(&d.name) else {
            continue;
        };
        if d.change != Change::Added {
            continue;
        }
        let mut columns: Vec<(i64, &str)> = Vec::new();
        let mut after: Vec<Step> = Vec::new();
        for k in &kids {
            let own_column = d.kind == Kind::Table
                && k.kind == Kind::Column
                && to_parents.get(&(Kind::Column, k.name.clone())) == Some(&d.name);
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
        d.sql = d
            .steps
            .iter()
            .map(|s| format!("{};", s.sql.trim_end().trim_end_matches(';')))
            .collect::<Vec<_>>()
            .join("\n");
    }
    *diffs = rest;
}

/// `CREATE TABLE t (a integer, b text)…` with the columns in full
/// (defaults, NOT NULL, identity) instead of the catalog's bare list.
fn with_columns(create: &str, columns: &[&str]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_labels_are_read_as_quote_literal_wrote_them() {
        assert_eq!(labels("'a', 'it''s', 'c, d'"), ["a", "it's", "c, d"]);
    }

    fn obj(kind: Kind, name: &str, parent: &str, def: &str, create: &str, drop: &str) -> Object {
        Object {
            kind,
            name: name.into(),
            parent: parent.into(),
            definition: def.into(),
            create: create.into(),
            drop: drop.into(),
            position: 0,
        }
    }

    #[test]
    fn an_enum_gets_its_new_labels_in_place() {
        let f = obj(
            Kind::Enum,
            "public.mood",
            "",
            "'sad', 'happy'",
            "",
            "DROP TYPE public.mood",
        );
        let t = obj(
            Kind::Enum,
            "public.mood",
            "",
            "'sad', 'ok', 'happy', 'great'",
            "",
            "",
        );
        let (steps, hazards) = enum_change(&f, &t, &[]);
        let sql: Vec<&str> = steps.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            [
                "ALTER TYPE public.mood ADD VALUE 'ok' BEFORE 'happy'",
                "ALTER TYPE public.mood ADD VALUE 'great'"
            ]
        );
        assert!(hazards.is_empty());
    }

    #[test]
    fn an_enum_that_loses_a_label_is_recreated_around_its_columns() {
        let f = obj(
            Kind::Enum,
            "public.mood",
            "",
            "'sad', 'meh', 'happy'",
            "",
            "DROP TYPE public.mood",
        );
        let t = obj(
            Kind::Enum,
            "public.mood",
            "",
            "'sad', 'happy'",
            "CREATE TYPE public.mood AS ENUM ('sad', 'happy')",
            "",
        );
        let col = obj(
            Kind::Column,
            "public.people.mood",
            "public.people",
            "type: mood\ndefault: 'happy'::mood",
            "",
            "",
        );
        let (steps, hazards) = enum_change(&f, &t, &[&col]);
        let sql: Vec<(Phase, &str)> = steps.iter().map(|s| (s.phase, s.sql.as_str())).collect();
        assert_eq!(
            sql,
            [
                (
                    Phase::Drop,
                    "ALTER TYPE public.mood RENAME TO \"mood__neonops_old\""
                ),
                (
                    Phase::Create,
                    "CREATE TYPE public.mood AS ENUM ('sad', 'happy')"
                ),
                (
                    Phase::Create,
                    "ALTER TABLE public.people ALTER COLUMN mood DROP DEFAULT"
                ),
                (
                    Phase::Create,
                    "ALTER TABLE public.people ALTER COLUMN mood TYPE mood USING mood::text::mood"
                ),
                (
                    Phase::Create,
                    "ALTER TABLE public.people ALTER COLUMN mood SET DEFAULT 'happy'::mood"
                ),
                (Phase::Late, "DROP TYPE public.\"mood__neonops_old\""),
            ]
        );
        assert!(hazards[1].contains("(meh)"), "{hazards:?}");
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
