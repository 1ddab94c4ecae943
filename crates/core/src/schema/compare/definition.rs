//! Reading the catalog reader's definitions: `key: value` lines, and a
//! column's table and name. Shared by the ALTERs of tables, columns, enums
//! and partitions.

use std::collections::BTreeMap;

use crate::schema::Object;

/// `key: value` lines (the catalog reader's tables and columns).
pub(super) fn properties(def: &str) -> BTreeMap<&str, &str> {
    def.lines().filter_map(|l| l.split_once(": ")).collect()
}

/// `schema.table` and the column, from `schema.table.column`.
/// A column's table (as SQL writes it) and its own name, quoted from the
/// catalog's parts.
pub(super) fn table_and_column(o: &Object) -> (&str, String) {
    (
        &o.parent,
        o.bare().map(crate::quote::ident_min).unwrap_or_default(),
    )
}
