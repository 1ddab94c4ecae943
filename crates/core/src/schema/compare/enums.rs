//! Enums: labels added in place, or the type recreated around its columns.

use super::definition::{properties, table_and_column};
use super::{Phase, Step, step};
use crate::schema::{Kind, Object, Schema};

/// `'a', 'b'` as PostgreSQL's quote_literal wrote them.
pub(super) fn labels(def: &str) -> Vec<String> {
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

use crate::quote::literal as quote;

/// The columns whose type is `ty` (or an array of it), as a column's
/// type names it: qualified, or bare when its schema is on the path.
pub(super) fn users<'a>(side: &'a Schema, ty: &Object) -> Vec<&'a Object> {
    let bare = ty.bare().map(crate::quote::ident_min);
    let ty = ty.name.as_str();
    side.objects
        .values()
        .filter(|o| o.kind == Kind::Column)
        .filter(|o| {
            properties(&o.definition)
                .get("type")
                .map(|t| t.trim_end_matches("[]"))
                .is_some_and(|t| t == ty || bare.as_deref() == Some(t))
        })
        .collect()
}

/// Labels added where they belong (`ADD VALUE … BEFORE`), never the type
/// recreated; when a label is removed or they are reordered, which
/// PostgreSQL cannot do in place: the old type renamed, the new one
/// created, each column that used the old one (`users`) converted through
/// its text, the old type dropped at the end.
pub(super) fn enum_change(f: &Object, t: &Object, users: &[&Object]) -> (Vec<Step>, Vec<String>) {
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

pub(super) fn enum_recreated(
    f: &Object,
    t: &Object,
    users: &[&Object],
    old: &[String],
    new: &[String],
) -> (Vec<Step>, Vec<String>) {
    let steps = recreated_around(f, t, users, "TYPE");
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

/// A type PostgreSQL cannot alter into the new one (an enum that loses or
/// reorders labels, a domain over another base type): the old one renamed
/// aside, the new one created, each column that used the old one
/// (`users`) converted through its text (its default dropped and set
/// again), the old one dropped at the end. `word`: TYPE or DOMAIN.
pub(super) fn recreated_around(f: &Object, t: &Object, users: &[&Object], word: &str) -> Vec<Step> {
    let [schema, bare] = t.parts.as_slice() else {
        return vec![
            step(Phase::Drop, f, &f.drop),
            step(Phase::Create, t, &t.create),
        ];
    };
    let aside_name = crate::quote::with_suffix(bare, "__neonops_old");
    let aside = crate::quote::ident_min(&aside_name);
    let aside_q = crate::quote::qualified(&[schema, &aside_name]);
    let mut steps = vec![
        step(
            Phase::Drop,
            f,
            format!("ALTER {word} {} RENAME TO {aside}", f.name),
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
    steps.push(step(Phase::Late, f, format!("DROP {word} {aside_q}")));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Kind, Object};

    #[test]
    fn enum_labels_are_read_as_quote_literal_wrote_them() {
        assert_eq!(labels("'a', 'it''s', 'c, d'"), ["a", "it's", "c, d"]);
    }

    /// Test names are plain: their parts are their dotted pieces (the
    /// catalog gives the real ones).
    fn obj(kind: Kind, name: &str, parent: &str, def: &str, create: &str, drop: &str) -> Object {
        Object {
            kind,
            name: name.into(),
            parent: parent.into(),
            definition: def.into(),
            create: create.into(),
            drop: drop.into(),
            position: 0,
            parts: name.split('.').map(str::to_string).collect(),
            parents: Vec::new(),
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
                    "ALTER TYPE public.mood RENAME TO mood__neonops_old"
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
                (Phase::Late, "DROP TYPE public.mood__neonops_old"),
            ]
        );
        assert!(hazards[1].contains("(meh)"), "{hazards:?}");
    }
}
