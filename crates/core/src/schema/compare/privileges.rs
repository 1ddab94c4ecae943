//! A new table, view, sequence or routine gets the privileges that the
//! default privileges of the role creating it say, before any GRANT: the
//! plan takes back what they gave, so that only the grants of the target
//! schema remain (they follow as differences of their own).

use std::collections::BTreeSet;

use super::{Change, Difference, Phase, step};
use crate::schema::{Kind, Schema};

/// The grantees of the default privileges for objects of `objects` in
/// `schema` (unquoted) created by the role running the plan. The catalog
/// gives each default privilege's parts: `[role, schema, objects,
/// grantee]`, the role and grantee as SQL writes them, the schema
/// unquoted (empty: every schema).
fn grantees<'a>(side: &'a Schema, objects: &str, schema: &str) -> Vec<&'a str> {
    side.objects
        .values()
        .filter(|o| o.kind == Kind::DefaultPrivileges)
        .filter_map(|o| match o.parts.as_slice() {
            [role, place, what, grantee]
                if role == "CURRENT_USER"
                    && what == objects
                    && (place.is_empty() || place == schema) =>
            {
                Some(grantee.as_str())
            }
            _ => None,
        })
        .collect()
}

pub(super) fn undo_defaults(diffs: &mut [Difference], from: &Schema, to: &Schema) {
    for d in diffs.iter_mut().filter(|d| d.change == Change::Added) {
        let (word, objects) = match d.kind {
            Kind::Table | Kind::View | Kind::MaterializedView => ("TABLE", "TABLES"),
            Kind::Sequence => ("SEQUENCE", "SEQUENCES"),
            Kind::Function | Kind::Procedure | Kind::Aggregate => ("ROUTINE", "FUNCTIONS"),
            _ => continue,
        };
        let Some(o) = to.objects.get(&(d.kind, d.name.clone())) else {
            continue;
        };
        let schema = o.schema().unwrap_or_default();
        let all: BTreeSet<&str> = grantees(to, objects, schema)
            .into_iter()
            .chain(grantees(from, objects, schema))
            .collect();
        for g in all {
            d.steps.push(step(
                Phase::Create,
                o,
                format!("REVOKE ALL ON {word} {} FROM {g}", d.name),
            ));
        }
    }
}
