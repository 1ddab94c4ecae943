//! A changed column, table, routine or extension: the ALTER that changes
//! what changed, property by property.

use std::collections::{BTreeMap, BTreeSet};

use super::definition::{properties, table_and_column};
use super::{Phase, Step, step};
use crate::quote::literal as quote;
use crate::schema::Object;

/// A routine's signature and result as `pg_get_functiondef` prints them:
/// the lines before `LANGUAGE`.
pub(super) fn header(def: &str) -> Vec<&str> {
    def.lines()
        .take_while(|l| !l.trim_start().starts_with("LANGUAGE"))
        .collect()
}

/// The family of types PostgreSQL assigns to each other by itself.
fn cast_family(t: &str) -> String {
    let b = t
        .split('(')
        .next()
        .unwrap_or(t)
        .trim_end_matches("[]")
        .trim();
    match b {
        "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision" => "number",
        "text" | "character varying" | "character" => "string",
        "date" | "timestamp without time zone" | "timestamp with time zone" => "time",
        other => other,
    }
    .to_string()
}

/// The USING of a column's type change from `was` to `ty`, with what it
/// risks: through the text to or from an enum (no implicit cast), an
/// explicit cast between unrelated types (PostgreSQL only applies an
/// assignment cast by itself), none within a family.
fn using(
    col: &str,
    was: &str,
    ty: &str,
    enums: &BTreeSet<String>,
    hazards: &mut Vec<String>,
) -> String {
    let is_enum = |t: &str| enums.contains(t.trim_end_matches("[]"));
    if ty != was && (is_enum(ty) || is_enum(was)) {
        hazards.push(format!(
            "{col}'s values are converted from {was} to {ty} through their text: check the USING"
        ));
        format!(" USING {col}::text::{ty}")
    } else if cast_family(ty) != cast_family(was) {
        hazards.push(format!(
            "{col}'s values are cast from {was} to {ty}: a value that does not cast fails the plan"
        ));
        format!(" USING {col}::{ty}")
    } else {
        String::new()
    }
}

pub(super) fn column_change(
    f: &Object,
    t: &Object,
    enums: &BTreeSet<String>,
) -> (Vec<Step>, Vec<String>) {
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
    if a.contains_key("generated") && !b.contains_key("generated") {
        // The column keeps its computed values as plain ones.
        steps.push(alter("DROP EXPRESSION".into()));
    } else if a.get("generated") != b.get("generated") {
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
    // An identity is dropped before the default or NULLs it stood in for
    // come, and added after the default went and NOT NULL came.
    let identity = (a.get("identity") != b.get("identity")).then(|| {
        match (a.get("identity"), b.get("identity")) {
            (None, Some(i)) => alter(format!("ADD GENERATED {} AS IDENTITY", i.to_uppercase())),
            (Some(_), None) => alter("DROP IDENTITY".into()),
            (_, Some(i)) => alter(format!("SET GENERATED {}", i.to_uppercase())),
            (None, None) => unreachable!("they differ"),
        }
    });
    // Dropped in the first phase: its sequence goes with it, and a new
    // sequence of that name (a serial's) may be created after.
    let identity_first = identity.as_ref().filter(|_| !b.contains_key("identity"));
    steps.extend(identity_first.cloned().map(|s| Step {
        phase: Phase::Drop,
        ..s
    }));
    if a.get("type") != b.get("type") || a.get("collation") != b.get("collation") {
        let ty = b.get("type").copied().unwrap_or_default();
        let was = a.get("type").copied().unwrap_or_default();
        let collate = b
            .get("collation")
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        let using = using(&col, was, ty, enums, &mut hazards);
        // A default of the old type may not cast: it goes first, and comes back.
        if a.contains_key("default") && !using.is_empty() {
            steps.push(alter("DROP DEFAULT".into()));
        }
        steps.push(alter(format!("TYPE {ty}{collate}{using}")));
        // The lint's own rule: varchar(n) → text, a wider varchar or
        // numeric, cidr → inet change no row.
        if !using.is_empty() || crate::lint::type_change_rewrites(was, ty) {
            hazards.push(format!(
                "the type change of {col} may rewrite {table} under ACCESS EXCLUSIVE"
            ));
        }
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
    if b.contains_key("identity") {
        steps.extend(identity);
    }
    if a.get("storage") != b.get("storage") {
        let s = b.get("storage").copied().unwrap_or("extended");
        steps.push(alter(format!("SET STORAGE {}", s.to_uppercase())));
    }
    (steps, hazards)
}

pub(super) fn table_change(f: &Object, t: &Object) -> (Vec<Step>, Vec<String>) {
    let (a, b) = (properties(&f.definition), properties(&t.definition));
    let name = &t.name;
    let alter = |what: &str| step(Phase::Create, t, format!("ALTER TABLE {name} {what}"));
    // Kind and partition key: the table is replaced (`partitions::replaced`).
    let (mut steps, mut hazards) = super::partitions::parents_change(f, t);
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

/// A sequence altered to its new definition. PostgreSQL refuses a MINVALUE
/// above, or a MAXVALUE below, its current value: it is moved inside the
/// new bounds first (`setval`), and the hazard says so.
pub(super) fn sequence_change(f: &Object, t: &Object) -> (Vec<Step>, Vec<String>) {
    let bound = |def: &str, word: &str| -> Option<i128> {
        let mut w = def.split_whitespace();
        while let Some(x) = w.next() {
            if x == word {
                return w.next()?.parse().ok();
            }
        }
        None
    };
    let name = &t.name;
    let mut steps = Vec::new();
    let mut hazards = Vec::new();
    let (min_was, min) = (
        bound(&f.definition, "MINVALUE"),
        bound(&t.definition, "MINVALUE"),
    );
    let (max_was, max) = (
        bound(&f.definition, "MAXVALUE"),
        bound(&t.definition, "MAXVALUE"),
    );
    let raised = matches!((min_was, min), (Some(a), Some(b)) if b > a);
    let lowered = matches!((max_was, max), (Some(a), Some(b)) if b < a);
    if raised || lowered {
        let (lo, hi) = (
            min.unwrap_or(i64::MIN as i128),
            max.unwrap_or(i64::MAX as i128),
        );
        let mut value = "last_value".to_string();
        if raised {
            value = format!("greatest({value}, {lo})");
        }
        if lowered {
            value = format!("least({value}, {hi})");
        }
        steps.push(step(
            Phase::Create,
            t,
            format!(
                "SELECT setval({}, {value}, is_called AND last_value BETWEEN {lo} AND {hi}) FROM {name}",
                crate::quote::literal(name)
            ),
        ));
        hazards.push(format!(
            "{name}'s bounds narrow: a current value outside them is moved to the nearest bound first (setval)"
        ));
    }
    steps.push(step(
        Phase::Create,
        t,
        format!("ALTER SEQUENCE {name} {}", t.definition),
    ));
    (steps, hazards)
}

/// An extension's version, from its definition (`schema s, version v[,
/// fixed schema]`).
fn extension_version(def: &str) -> Option<String> {
    let v = def.rsplit_once(", version ")?.1;
    Some(v.split(", ").next().unwrap_or(v).to_string())
}

pub(super) fn extension_change(f: &Object, t: &Object) -> (Vec<Step>, Vec<String>) {
    let version = extension_version;
    let mut steps = Vec::new();
    let mut hazards = Vec::new();
    if f.schema() != t.schema()
        && let Some(s) = t.schema()
    {
        // An extension whose objects name their schema cannot move
        // (PostgreSQL refuses SET SCHEMA): dropped and created again.
        let fixed = |d: &str| d.ends_with(", fixed schema");
        if fixed(&f.definition) || fixed(&t.definition) {
            hazards.push(format!(
                "extension {} cannot change schema (it is not relocatable): the plan drops it and creates it in {}; its objects go with it, and DROP EXTENSION fails while other objects use them (drop those first, or move them by hand)",
                t.name,
                crate::quote::ident_min(s)
            ));
            return (
                vec![
                    step(Phase::Drop, f, &f.drop),
                    step(Phase::Create, t, &t.create),
                ],
                hazards,
            );
        }
        steps.push(step(
            Phase::Create,
            t,
            format!(
                "ALTER EXTENSION {} SET SCHEMA {}",
                t.name,
                crate::quote::ident_min(s)
            ),
        ));
    }
    if version(&f.definition) != version(&t.definition)
        && let Some(v) = version(&t.definition)
    {
        let numbers =
            |v: &str| -> Option<Vec<u64>> { v.split('.').map(|p| p.parse().ok()).collect() };
        if let (Some(old), Some(new)) = (
            version(&f.definition).as_deref().and_then(numbers),
            numbers(&v),
        ) && new < old
        {
            hazards.push(format!(
                "{} goes back to version {v}: extensions rarely ship a downgrade script, and then this UPDATE fails (the other way: DROP EXTENSION and CREATE EXTENSION … VERSION {}, which drops what depends on it)",
                t.name,
                quote(&v)
            ));
        }
        steps.push(step(
            Phase::Create,
            t,
            format!("ALTER EXTENSION {} UPDATE TO {}", t.name, quote(&v)),
        ));
    }
    (steps, hazards)
}

/// A domain as the catalog reader prints it: `base [COLLATE c] [DEFAULT e]
/// [NOT NULL] [CONSTRAINT n CHECK (…)]…`, in parts.
struct DomainParts<'a> {
    base: &'a str,
    default: Option<&'a str>,
    not_null: bool,
    checks: BTreeMap<&'a str, &'a str>,
}

fn domain_parts(def: &str) -> DomainParts<'_> {
    let mut pieces = def.split(" CONSTRAINT ");
    let head = pieces.next().unwrap_or_default();
    let checks = pieces
        .filter_map(|c| c.split_once(' '))
        .collect::<BTreeMap<_, _>>();
    let (head, not_null) = match head.strip_suffix(" NOT NULL") {
        Some(h) => (h, true),
        None => (head, false),
    };
    let (base, default) = match head.split_once(" DEFAULT ") {
        Some((b, d)) => (b, Some(d)),
        None => (head, None),
    };
    DomainParts {
        base,
        default,
        not_null,
        checks,
    }
}

/// A domain changed in place where PostgreSQL can (its default, NOT NULL,
/// its checks): its columns keep it. Another base type or collation
/// cannot be changed: `None`, and it is dropped and created.
pub(super) fn domain_change(f: &Object, t: &Object) -> Option<(Vec<Step>, Vec<String>)> {
    let (a, b) = (domain_parts(&f.definition), domain_parts(&t.definition));
    if a.base != b.base {
        return None;
    }
    let name = &t.name;
    let alter = |what: String| step(Phase::Create, t, format!("ALTER DOMAIN {name} {what}"));
    let mut steps = Vec::new();
    let mut hazards = Vec::new();
    if a.default != b.default {
        steps.push(alter(match b.default {
            Some(d) => format!("SET DEFAULT {d}"),
            None => "DROP DEFAULT".into(),
        }));
    }
    if a.not_null != b.not_null {
        steps.push(alter(if b.not_null {
            hazards.push(format!(
                "SET NOT NULL on {name} checks every column of that type"
            ));
            "SET NOT NULL".into()
        } else {
            "DROP NOT NULL".into()
        }));
    }
    for (n, c) in &a.checks {
        if b.checks.get(n) != Some(c) {
            steps.push(alter(format!("DROP CONSTRAINT {n}")));
        }
    }
    for (n, c) in &b.checks {
        if a.checks.get(n) != Some(c) {
            hazards.push(format!(
                "the check {n} of {name} reads every column of that type"
            ));
            steps.push(alter(format!("ADD CONSTRAINT {n} {c}")));
        }
    }
    Some((steps, hazards))
}

/// Where the quoted name that `rest` continues ends: its closing quote.
fn closing_quote(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            if b.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `a integer, b numeric(12,2) COLLATE "C"` (a composite type's
/// attributes as the catalog reader prints them): name → type, in order.
fn attributes(def: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    let b = def.as_bytes();
    for i in 0..=b.len() {
        let c = b.get(i).copied().unwrap_or(b',');
        match c {
            b'"' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            b',' if !quoted && depth == 0 => {
                let part = def[start..i.min(def.len())].trim();
                // A quoted name ends at its closing quote (a doubled
                // quote is one quote of the name).
                let split = match part.strip_prefix('"') {
                    Some(rest) => {
                        closing_quote(rest).map(|e| (&part[..e + 2], part[e + 2..].trim()))
                    }
                    None => part.split_once(' '),
                };
                if let Some((n, t)) = split {
                    out.push((n, t));
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// A composite type changed in place (`ALTER TYPE … ADD / DROP / ALTER
/// ATTRIBUTE`), so that what uses it keeps it; `None` when attributes
/// are reordered (only a new type can say that).
pub(super) fn composite_change(f: &Object, t: &Object) -> Option<(Vec<Step>, Vec<String>)> {
    let (a, b) = (attributes(&f.definition), attributes(&t.definition));
    let kept: Vec<&str> = a
        .iter()
        .map(|x| x.0)
        .filter(|n| b.iter().any(|y| y.0 == *n))
        .collect();
    let kept_new: Vec<&str> = b
        .iter()
        .map(|x| x.0)
        .filter(|n| a.iter().any(|y| y.0 == *n))
        .collect();
    if kept != kept_new {
        return None;
    }
    let name = &t.name;
    let alter = |what: String| step(Phase::Create, t, format!("ALTER TYPE {name} {what}"));
    let mut steps = Vec::new();
    let mut hazards = Vec::new();
    for (n, _) in a.iter().filter(|x| !b.iter().any(|y| y.0 == x.0)) {
        hazards.push(format!("data loss: drops attribute {n} of {name}"));
        steps.push(alter(format!("DROP ATTRIBUTE {n}")));
    }
    for (n, ty) in &b {
        match a.iter().find(|x| x.0 == *n) {
            None => steps.push(alter(format!("ADD ATTRIBUTE {n} {ty}"))),
            Some((_, old)) if old != ty => {
                steps.push(alter(format!("ALTER ATTRIBUTE {n} TYPE {ty}")))
            }
            Some(_) => {}
        }
    }
    // Added ones go last, as PostgreSQL puts them: in order only when
    // they come after every kept one.
    let last_kept = b.iter().rposition(|x| a.iter().any(|y| y.0 == x.0));
    let first_new = b.iter().position(|x| !a.iter().any(|y| y.0 == x.0));
    if let (Some(k), Some(n)) = (last_kept, first_new)
        && n < k
    {
        return None;
    }
    Some((steps, hazards))
}

#[cfg(test)]
mod tests {
    use super::domain_parts;

    #[test]
    fn a_composite_types_attributes_are_split_where_they_end() {
        assert_eq!(
            super::attributes("a integer, b numeric(12,2) COLLATE \"C\", \"c, d\" text"),
            [
                ("a", "integer"),
                ("b", "numeric(12,2) COLLATE \"C\""),
                ("\"c, d\"", "text")
            ]
        );
    }

    #[test]
    fn a_doubled_quote_is_part_of_an_attributes_name() {
        assert_eq!(
            super::attributes("\"le\"\"ft\" integer, \"right, side\" text"),
            [("\"le\"\"ft\"", "integer"), ("\"right, side\"", "text")]
        );
    }

    #[test]
    fn a_domain_is_read_in_parts() {
        let d = domain_parts(
            "integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK ((VALUE > 0)) CONSTRAINT small CHECK ((VALUE < 10))",
        );
        assert_eq!(d.base, "integer");
        assert_eq!(d.default, Some("1"));
        assert!(d.not_null);
        assert_eq!(d.checks.len(), 2);
        assert_eq!(d.checks["small"], "CHECK ((VALUE < 10))");
        let plain = domain_parts("text COLLATE \"C\"");
        assert_eq!(
            (plain.base, plain.default, plain.not_null),
            ("text COLLATE \"C\"", None, false)
        );
    }
}
