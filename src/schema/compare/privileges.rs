//! A new table, view, sequence or routine gets the privileges that the
//! default privileges of the role creating it say, before any GRANT: the
//! plan takes back what they gave, so that only the grants of the target
//! schema remain (they follow as differences of their own).

use std::collections::BTreeSet;

use super::{Change, Difference, Phase, step};
use crate::schema::{Kind, Schema};

/// `for ROLE[ in schema S] on OBJECTS to GRANTEE` (the catalog reader's
/// names of default privileges): the grantees for objects of `objects` in
/// `schema` created by the role running the plan.
fn grantees<'a>(side: &'a Schema, objects: &str, schema: &str) -> Vec<&'a str> {
    side.objects
        .keys()
        .filter(|(k, _)| *k == Kind::DefaultPrivileges)
        .filter_map(|(_, name)| {
            let rest = name.strip_prefix("for CURRENT_USER")?;
            let (scope, grantee) = rest.rsplit_once(" to ")?;
            let (place, what) = scope.rsplit_once(" on ")?;
            let in_schema = place.strip_prefix(" in schema ");
            (what == objects && in_schema.is_none_or(|s| s == schema)).then_some(grantee)
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
        let schema = d.name.split('.').next().unwrap_or_default();
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
