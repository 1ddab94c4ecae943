//! Names and types as PostgreSQL writes them, and SQL from parse trees.

use pg_query::NodeEnum;
use pg_query::protobuf as pb;

pub(in crate::lint) fn rel(rv: &pb::RangeVar) -> String {
    if rv.schemaname.is_empty() || rv.schemaname == "public" {
        rv.relname.clone()
    } else {
        format!("{}.{}", rv.schemaname, rv.relname)
    }
}

/// `name` in the schema of `rv`, written as `rel` writes names.
pub(super) fn in_schema(rv: &pb::RangeVar, name: &str) -> String {
    match rv.schemaname.as_str() {
        "" | "public" => name.to_string(),
        schema => format!("{schema}.{name}"),
    }
}

/// The relation's own name, without its schema.
pub(super) fn relname(t: &str) -> &str {
    t.rsplit('.').next().unwrap_or(t)
}

pub(super) fn string_of(n: &pb::Node) -> Option<&str> {
    match &n.node {
        Some(NodeEnum::String(s)) => Some(&s.sval),
        _ => None,
    }
}

/// The qualified name of a list of String nodes (`schema.name`); `public.`
/// is left out, as `rel` does (the default search_path).
pub(super) fn dotted(names: &[pb::Node]) -> String {
    let parts: Vec<&str> = names.iter().filter_map(string_of).collect();
    match parts.as_slice() {
        ["public", rest @ ..] if !rest.is_empty() => rest.join("."),
        _ => parts.join("."),
    }
}

/// A type as PostgreSQL's `format_type` would write it (enough to compare).
pub(super) fn type_text(t: &pb::TypeName) -> String {
    let base = t
        .names
        .iter()
        .filter_map(string_of)
        .rfind(|n| *n != "pg_catalog")
        .unwrap_or("")
        .to_string();
    let base = match base.as_str() {
        "varchar" => "character varying",
        "bpchar" => "character",
        "int4" => "integer",
        "int8" => "bigint",
        "int2" => "smallint",
        "float8" => "double precision",
        "float4" => "real",
        "bool" => "boolean",
        "timestamptz" => "timestamp with time zone",
        "timestamp" => "timestamp without time zone",
        "timetz" => "time with time zone",
        "time" => "time without time zone",
        "varbit" => "bit varying",
        other => other,
    }
    .to_string();
    let mods: Vec<String> = t
        .typmods
        .iter()
        .filter_map(|m| match &m.node {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(pb::a_const::Val::Ival(i)) => Some(i.ival.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let arr = if t.array_bounds.is_empty() { "" } else { "[]" };
    if mods.is_empty() {
        format!("{base}{arr}")
    } else {
        format!("{base}({}){arr}", mods.join(","))
    }
}

pub(super) fn typmods(t: &str) -> (String, Vec<u32>) {
    match t.split_once('(') {
        Some((base, rest)) => (
            base.trim().to_string(),
            rest.trim_end_matches(')')
                .split(',')
                .filter_map(|m| m.trim().parse().ok())
                .collect(),
        ),
        None => (t.trim().to_string(), Vec::new()),
    }
}

pub(super) fn deparse(node: NodeEnum) -> Option<String> {
    let text = std::panic::catch_unwind(move || node.deparse(Default::default()))
        .ok()?
        .ok()?;
    Some(format!("{text};"))
}
