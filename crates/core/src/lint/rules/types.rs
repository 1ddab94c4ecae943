//! Type changes that need no rewrite, and which defaults are volatile.

use pg_query::protobuf as pb;
use pg_query::{NodeEnum, NodeRef};

use super::names::*;
use crate::lint::context::Context;

/// Whether changing a column from `old` to `new` needs no rewrite (PostgreSQL
/// checks the values, if at all, without copying rows).
pub(in crate::lint) fn binary_coercible(old: &str, new: &str, ctx: &Context) -> bool {
    let (ob, om) = typmods(old);
    let (nb, nm) = typmods(new);
    match (ob.as_str(), nb.as_str()) {
        (a, b) if a == b && om == nm => true,
        ("character varying", "character varying") => {
            nm.is_empty()
                || om
                    .first()
                    .is_some_and(|o| nm.first().is_some_and(|n| n >= o))
        }
        ("character varying", "text") => true,
        ("text", "character varying") => nm.is_empty(),
        ("numeric", "numeric") => {
            nm.is_empty() || (om.len() == 2 && nm.len() == 2 && om[1] == nm[1] && nm[0] >= om[0])
        }
        ("bit varying", "bit varying") => {
            nm.is_empty()
                || om
                    .first()
                    .is_some_and(|o| nm.first().is_some_and(|n| n >= o))
        }
        ("cidr", "inet") => true,
        ("timestamp without time zone", "timestamp with time zone") => {
            ctx.pg_version >= 12 && ctx.timezone_utc
        }
        _ => false,
    }
}

/// Functions whose result changes from row to row.
pub(super) const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setval",
    "txid_current",
    "random_normal",
];

/// Functions known not to be volatile (a default with them is stored once).
pub(super) const NOT_VOLATILE: &[&str] = &[
    "now",
    "transaction_timestamp",
    "statement_timestamp",
    "current_timestamp",
    "current_date",
    "localtimestamp",
    "lower",
    "upper",
    "concat",
    "coalesce",
    "length",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "to_jsonb",
    "to_json",
    "array_fill",
    "make_interval",
    "to_timestamp",
    "to_char",
    "md5",
    "timezone",
    "date_trunc",
];

pub(super) enum Volatility {
    NotVolatile,
    Volatile(String),
    Unknown(String),
}

/// A call's function name as the catalog spells it (schema left out).
fn function_name(f: &pb::FuncCall) -> String {
    f.funcname
        .iter()
        .filter_map(string_of)
        .next_back()
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub(super) fn volatility(expr: &pb::Node, ctx: &Context) -> Volatility {
    let Some(n) = &expr.node else {
        return Volatility::NotVolatile;
    };
    let mut unknown = None;
    let mut check = |f: &pb::FuncCall| -> Option<Volatility> {
        let name = function_name(f);
        // The database's (or an earlier file's) own functions first.
        match ctx.function_volatile(&name) {
            Some(true) => return Some(Volatility::Volatile(name)),
            Some(false) => return None,
            None => {}
        }
        if VOLATILE.contains(&name.as_str()) {
            return Some(Volatility::Volatile(name));
        }
        if !NOT_VOLATILE.contains(&name.as_str()) {
            unknown.get_or_insert(name);
        }
        None
    };
    if let NodeEnum::FuncCall(f) = n
        && let Some(v) = check(f)
    {
        return v;
    }
    for (r, ..) in n.nodes() {
        if let NodeRef::FuncCall(f) = r
            && let Some(v) = check(f)
        {
            return v;
        }
    }
    match unknown {
        Some(f) => Volatility::Unknown(f),
        None => Volatility::NotVolatile,
    }
}
