//! The catalog reader: one message of queries on PostgreSQL's system
//! catalogs, each row an object of the application's schema as
//! `(kind, name, parent, definition, create, drop, position)`. The
//! definition is what two databases are compared on, written by
//! PostgreSQL's own deparsers (`pg_get_indexdef`, `pg_get_constraintdef`,
//! `pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`,
//! `pg_get_expr`, `format_type`…), so that equal schemas are equal text.
//! Objects that belong to an extension (`pg_depend` deptype `e`) are left
//! out; kinds that are not modelled are counted, never taken as equal.
//!
//! The queries are files of their own (`src/schema/catalog/NN_kind.sql`,
//! run in that order), filled by [`fill`]; the five grant queries share one
//! template, below.

/// Schemas of the application (not the system's, TOAST's or temporary ones).
const USER_NS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

/// Not a member of an extension.
fn not_member(class: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{class}'::regclass AND e.objid = {oid} AND e.deptype = 'e')"
    )
}

/// Not one of neonops' own tables (the history and its progress).
fn not_ours(oid: &str, own: &[String]) -> String {
    if own.is_empty() {
        return "true".into();
    }
    let list = own
        .iter()
        .map(|t| format!("(to_regclass({}))", literal(t)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{oid} NOT IN (SELECT x FROM (VALUES {list}) v(x) WHERE x IS NOT NULL)")
}

use crate::quote::literal;

/// `;\nREVOKE … FROM PUBLIC` when the object's privileges lack what
/// PostgreSQL gives PUBLIC when it is created (EXECUTE on routines, USAGE
/// on types), so that a CREATE gives the object the privileges it has.
fn unless_public(
    acl: &str,
    default: char,
    owner: &str,
    privilege: &str,
    word: &str,
    target: &str,
) -> String {
    format!(
        "CASE WHEN NOT EXISTS (SELECT 1 FROM aclexplode(coalesce({acl}, acldefault('{default}', {owner}))) a WHERE a.grantee = 0 AND a.privilege_type = '{privilege}') THEN format(E';\\nREVOKE {privilege} ON {word} %s FROM PUBLIC', {target}) ELSE '' END"
    )
}

/// The catalog's queries, in the order they run, one file each
/// (`src/schema/catalog/`); `{name}` marks what [`sql`] fills in. The five
/// grant queries, one template, go between the two lists.
const BEFORE_GRANTS: [&str; 26] = [
    include_str!("catalog/01_schema.sql"),
    include_str!("catalog/02_extension.sql"),
    include_str!("catalog/03_collation.sql"),
    include_str!("catalog/04_enum.sql"),
    include_str!("catalog/05_domain.sql"),
    include_str!("catalog/06_type.sql"),
    include_str!("catalog/07_range.sql"),
    include_str!("catalog/08_sequence.sql"),
    include_str!("catalog/09_sequence_owner.sql"),
    include_str!("catalog/10_table.sql"),
    include_str!("catalog/11_column.sql"),
    include_str!("catalog/12_constraint.sql"),
    include_str!("catalog/13_index.sql"),
    include_str!("catalog/14_view.sql"),
    include_str!("catalog/15_function.sql"),
    include_str!("catalog/16_aggregate.sql"),
    include_str!("catalog/17_operator.sql"),
    include_str!("catalog/18_cast.sql"),
    include_str!("catalog/19_text_search_dictionary.sql"),
    include_str!("catalog/20_text_search_configuration.sql"),
    include_str!("catalog/21_trigger.sql"),
    include_str!("catalog/22_rule.sql"),
    include_str!("catalog/23_policy.sql"),
    include_str!("catalog/24_statistics.sql"),
    include_str!("catalog/25_publication.sql"),
    include_str!("catalog/26_comment.sql"),
];
const AFTER_GRANTS: [&str; 5] = [
    include_str!("catalog/32_column_grant.sql"),
    include_str!("catalog/33_default_privileges.sql"),
    include_str!("catalog/34_depends.sql"),
    include_str!("catalog/35_alias.sql"),
    include_str!("catalog/36_not_compared.sql"),
];

/// A query file with its marks filled: `{user_ns}`, `{typ}`, `{proc}`,
/// `{revoke_t}`, `{revoke_f}`, `{rel_ALIAS}`, `{not_ours_ALIAS}` and
/// `{not_member_CLASS_ALIAS}` from `vars` and the helpers above. A mark
/// that is none of these is a bug of this file (the unit test finds it).
fn fill(template: &str, vars: &[(&str, &str)], own: &[String]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template.trim_end();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("a closed mark");
        let mark = &rest[open + 1..close];
        let value = if let Some((_, v)) = vars.iter().find(|(k, _)| *k == mark) {
            v.to_string()
        } else if let Some(alias) = mark.strip_prefix("not_ours_") {
            not_ours(&format!("{alias}.objoid"), own)
        } else if let Some(rest) = mark.strip_prefix("not_member_") {
            let (class, alias) = rest.rsplit_once('_').expect("not_member_CLASS_ALIAS");
            not_member(class, &format!("{alias}.oid"))
        } else {
            panic!("unknown mark {{{mark}}} in a catalog query")
        };
        out.push_str(&value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The queries, in one text (one round trip). `own`: tables left out.
pub fn sql(own: &[String]) -> String {
    let rel = |alias: &str| {
        format!(
            "{USER_NS} AND {} AND {}",
            not_member("pg_class", &format!("{alias}.oid")),
            not_ours(&format!("{alias}.oid"), own)
        )
    };
    let typ = format!("{USER_NS} AND {}", not_member("pg_type", "t.oid"));

    // What a CREATE of a type or a routine adds: the REVOKE from PUBLIC.
    let revoke_t = unless_public(
        "t.typacl",
        'T',
        "t.typowner",
        "USAGE",
        "TYPE",
        "format('%I.%I', n.nspname, t.typname)",
    );

    // Routines: not a range type's constructors (made with it: deptype i).
    let proc = format!(
        "{USER_NS} AND {} AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i')",
        not_member("pg_proc", "p.oid")
    );
    let revoke_f = unless_public(
        "p.proacl",
        'f',
        "p.proowner",
        "EXECUTE",
        "ROUTINE",
        "format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))",
    );

    // Grants, as each role's privileges beside the owner's (the owner may
    // differ from one database to the next); the defaults count.
    // An object's grants go with it (their parent is the object).
    // A grant is taken back privilege by privilege, never `REVOKE ALL`:
    // on a table that also takes back every column privilege of the role.
    let rel_c = rel("c");
    let vars: [(&str, &str); 6] = [
        ("user_ns", USER_NS),
        ("typ", &typ),
        ("proc", &proc),
        ("revoke_t", &revoke_t),
        ("revoke_f", &revoke_f),
        ("rel_c", &rel_c),
    ];
    let mut q: Vec<String> = BEFORE_GRANTS.iter().map(|t| fill(t, &vars, own)).collect();
    let grant = |what: &str, word: &str, acl: &str, owner: &str, kind: char, from: &str| {
        let parent = "g.target";
        format!(
            "SELECT 'grant', format('%s %s to %s', '{what}', g.target, g.grantee), {parent}, g.privs, format('GRANT %s ON {word} %s TO %s', g.plain, g.target, g.grantee) || CASE WHEN g.grantable <> '' THEN format(E';\\nGRANT %s ON {word} %s TO %s WITH GRANT OPTION', g.grantable, g.target, g.grantee) ELSE '' END, format('REVOKE %s ON {word} %s FROM %s', g.plain, g.target, g.grantee), '0', '' FROM (SELECT x.target, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee, string_agg(a.privilege_type || CASE WHEN a.is_grantable THEN ' (grantable)' ELSE '' END, ', ' ORDER BY a.privilege_type) AS privs, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS plain, coalesce(string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FILTER (WHERE a.is_grantable), '') AS grantable FROM {from} CROSS JOIN LATERAL aclexplode(coalesce({acl}, acldefault('{kind}', {owner}))) a WHERE a.grantee <> {owner} GROUP BY x.target, a.grantee) g"
        )
    };
    q.push(grant(
        "table",
        "TABLE",
        "c.relacl",
        "c.relowner",
        'r',
        &format!(
            "(SELECT c.*, format('%I.%I', n.nspname, c.relname) AS target FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm') AND {}) x JOIN pg_class c ON c.oid = x.oid",
            rel("c")
        ),
    ));
    q.push(grant(
        "sequence",
        "SEQUENCE",
        "c.relacl",
        "c.relowner",
        's',
        &format!(
            "(SELECT c.*, format('%I.%I', n.nspname, c.relname) AS target FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND {}) x JOIN pg_class c ON c.oid = x.oid",
            rel("c")
        ),
    ));
    q.push(grant(
        "routine",
        "ROUTINE",
        "p.proacl",
        "p.proowner",
        'f',
        &format!(
            "(SELECT p.oid, format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS target FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {proc}) x JOIN pg_proc p ON p.oid = x.oid"
        ),
    ));
    q.push(grant(
        "schema",
        "SCHEMA",
        "n.nspacl",
        "n.nspowner",
        'n',
        &format!(
            "(SELECT n.oid, format('%I', n.nspname) AS target FROM pg_namespace n WHERE {USER_NS} AND n.nspname <> 'public' AND {}) x JOIN pg_namespace n ON n.oid = x.oid",
            not_member("pg_namespace", "n.oid")
        ),
    ));
    q.push(grant(
        "type",
        "TYPE",
        "t.typacl",
        "t.typowner",
        'T',
        &format!(
            "(SELECT t.oid, format('%I.%I', n.nspname, t.typname) AS target FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e', 'd', 'r') AND {typ}) x JOIN pg_type t ON t.oid = x.oid"
        ),
    ));
    q.extend(AFTER_GRANTS.iter().map(|t| fill(t, &vars, own)));
    q.join(";\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_query_file_parses_filled_and_names_come_back_unquoted() {
        let own = ["public.refinery_schema_history".to_string()];
        let sql = sql(&own);
        let parsed = pg_query::parse(&sql, 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            parsed.protobuf.stmts.len(),
            BEFORE_GRANTS.len() + 5 + AFTER_GRANTS.len()
        );
        // Each file on its own, filled, is one statement PostgreSQL parses.
        let vars = [
            ("user_ns", USER_NS),
            ("typ", "true"),
            ("proc", "true"),
            ("revoke_t", "''"),
            ("revoke_f", "''"),
            ("rel_c", "true"),
        ];
        for t in BEFORE_GRANTS.iter().chain(&AFTER_GRANTS) {
            let q = fill(t, &vars, &own);
            let p = pg_query::parse(&q, 0).unwrap_or_else(|e| panic!("{e}:\n{q}"));
            assert_eq!(p.protobuf.stmts.len(), 1, "{q}");
            assert!(!q.contains('{'), "a mark left in:\n{q}");
        }
        // The parts of names travel unquoted, as JSON, never as SQL text.
        for kind in [
            "'table'",
            "'column'",
            "'constraint'",
            "'materialized view index'",
            "'enum'",
            "'extension'",
        ] {
            let q = BEFORE_GRANTS.iter().find(|t| t.contains(kind)).expect(kind);
            assert!(
                q.contains("json_build_array(n.nspname, "),
                "{kind} has no parts"
            );
        }
    }
}
