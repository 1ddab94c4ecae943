//! The catalog reader: one message of queries on PostgreSQL's system
//! catalogs, each row an object of the application's schema as
//! `(kind, name, parent, definition, create, drop, position)`. The
//! definition is what two databases are compared on, written by
//! PostgreSQL's own deparsers (`pg_get_indexdef`, `pg_get_constraintdef`,
//! `pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`,
//! `pg_get_expr`, `format_type`…), so that equal schemas are equal text.
//! Objects that belong to an extension (`pg_depend` deptype `e`) are left
//! out; kinds that are not modelled are counted, never taken as equal.

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
    let mut q: Vec<String> = Vec::new();

    // Schemas and extensions.
    q.push(format!(
        "SELECT 'schema', format('%I', n.nspname), '', '', format('CREATE SCHEMA %I', n.nspname), format('DROP SCHEMA %I', n.nspname), n.oid::int8::text, 'pg_namespace/' || n.oid || '/0', json_build_array(n.nspname)::text FROM pg_namespace n WHERE {USER_NS} AND {}",
        not_member("pg_namespace", "n.oid")
    ));
    q.push("SELECT 'extension', format('%I', e.extname), '', format('schema %I, version %s%s', n.nspname, e.extversion, CASE WHEN NOT e.extrelocatable THEN ', fixed schema' ELSE '' END), format('CREATE EXTENSION IF NOT EXISTS %I WITH SCHEMA %I VERSION %L', e.extname, n.nspname, e.extversion), format('DROP EXTENSION %I', e.extname), e.oid::int8::text, 'pg_extension/' || e.oid || '/0', json_build_array(n.nspname, e.extname)::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'".into());
    q.push(format!(
        "SELECT 'collation', format('%I.%I', n.nspname, c.collname), '', d.def, format('CREATE COLLATION %I.%I (%s)', n.nspname, c.collname, d.def), format('DROP COLLATION %I.%I', n.nspname, c.collname), c.oid::int8::text, 'pg_collation/' || c.oid || '/0' FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace CROSS JOIN LATERAL (SELECT concat_ws(', ', 'provider = ' || CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END, 'locale = ' || quote_literal(coalesce(c.colliculocale, c.collcollate)), CASE WHEN NOT c.collisdeterministic THEN 'deterministic = false' END) AS def) d WHERE {USER_NS} AND {}",
        not_member("pg_collation", "c.oid")
    ));

    // Types.
    let revoke_t = unless_public(
        "t.typacl",
        'T',
        "t.typowner",
        "USAGE",
        "TYPE",
        "format('%I.%I', n.nspname, t.typname)",
    );
    q.push(format!(
        "SELECT 'enum', format('%I.%I', n.nspname, t.typname), '', string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder), format('CREATE TYPE %I.%I AS ENUM (%s)', n.nspname, t.typname, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)) || {revoke_t}, format('DROP TYPE %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_type/' || t.oid || '/0', json_build_array(n.nspname, t.typname)::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid WHERE {typ} GROUP BY n.nspname, t.typname, t.oid, t.typacl, t.typowner"
    ));
    q.push(format!(
        "SELECT 'domain', format('%I.%I', n.nspname, t.typname), '', d.def, format('CREATE DOMAIN %I.%I AS %s', n.nspname, t.typname, d.def) || {revoke_t}, format('DROP DOMAIN %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_type/' || t.oid || '/0', json_build_array(n.nspname, t.typname)::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type b ON b.oid = t.typbasetype CROSS JOIN LATERAL (SELECT concat_ws(' ', format_type(t.typbasetype, t.typtypmod), CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation THEN 'COLLATE ' || t.typcollation::regcollation::text END, 'DEFAULT ' || t.typdefault, CASE WHEN t.typnotnull THEN 'NOT NULL' END, (SELECT string_agg(format('CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)), ' ' ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid)) AS def) d WHERE t.typtype = 'd' AND {typ}"
    ));
    q.push(format!(
        "SELECT 'type', format('%I.%I', n.nspname, t.typname), '', d.def, format('CREATE TYPE %I.%I AS (%s)', n.nspname, t.typname, d.def) || {revoke_t}, format('DROP TYPE %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_class/' || c.oid || '/0' FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid CROSS JOIN LATERAL (SELECT coalesce(string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)) || CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT y.typcollation FROM pg_type y WHERE y.oid = a.atttypid) THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END, ', ' ORDER BY a.attnum), '') AS def FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) d WHERE t.typtype = 'c' AND c.relkind = 'c' AND {typ}"
    ));
    q.push(format!(
        "SELECT 'range', format('%I.%I', n.nspname, t.typname), '', d.def, format('CREATE TYPE %I.%I AS RANGE (%s)', n.nspname, t.typname, d.def) || {revoke_t}, format('DROP TYPE %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_type/' || t.oid || '/0' FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid JOIN pg_namespace n ON n.oid = t.typnamespace CROSS JOIN LATERAL (SELECT concat_ws(', ', 'SUBTYPE = ' || format_type(r.rngsubtype, NULL), CASE WHEN r.rngcollation <> 0 THEN 'COLLATION = ' || r.rngcollation::regcollation::text END, CASE WHEN r.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || r.rngsubdiff::regproc::text END) AS def) d WHERE {typ}"
    ));

    // Sequences (not those of identity columns: they go with the column),
    // and which column owns each (after the columns exist). An owned
    // sequence's parent is its table: it is dropped with it.
    q.push(format!(
        "SELECT 'sequence', format('%I.%I', n.nspname, c.relname), coalesce((SELECT format('%I.%I', tn.nspname, tc.relname) FROM pg_depend o JOIN pg_class tc ON tc.oid = o.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'a'), ''), d.def, format('CREATE SEQUENCE %I.%I %s', n.nspname, c.relname, d.def), format('DROP SEQUENCE %I.%I', n.nspname, c.relname), c.oid::int8::text, 'pg_class/' || c.oid || '/0', json_build_array(n.nspname, c.relname)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid CROSS JOIN LATERAL (SELECT format('AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s', format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END) AS def) d WHERE c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i') AND {}",
        rel("c")
    ));
    q.push(format!(
        "SELECT 'sequence owner', format('%I.%I', n.nspname, c.relname), format('%I.%I', tn.nspname, tc.relname), format('%I.%I.%I', tn.nspname, tc.relname, a.attname), format('ALTER SEQUENCE %I.%I OWNED BY %I.%I.%I', n.nspname, c.relname, tn.nspname, tc.relname, a.attname), format('ALTER SEQUENCE %I.%I OWNED BY NONE', n.nspname, c.relname), c.oid::int8::text, '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_depend o ON o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'a' JOIN pg_class tc ON tc.oid = o.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = o.refobjsubid WHERE c.relkind = 'S' AND {}",
        rel("c")
    ));

    // Tables: their own properties (columns, constraints and indexes are
    // objects of their own). The definition is a line a property.
    q.push(format!(
        "SELECT 'table', format('%I.%I', n.nspname, c.relname), '', d.def, CASE WHEN c.relispartition THEN format('CREATE TABLE %I.%I PARTITION OF %s %s', n.nspname, c.relname, p.parent, pg_get_expr(c.relpartbound, c.oid)) ELSE format('CREATE %sTABLE %I.%I (%s)%s%s', CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END, n.nspname, c.relname, cols.list, CASE WHEN h.parents IS NOT NULL THEN ' INHERITS (' || h.parents || ')' ELSE '' END, CASE WHEN c.relkind = 'p' THEN ' PARTITION BY ' || pg_get_partkeydef(c.oid) ELSE '' END) END || CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END || CASE WHEN c.relrowsecurity THEN format(E';\\nALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', n.nspname, c.relname) ELSE '' END || CASE WHEN c.relforcerowsecurity THEN format(E';\\nALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', n.nspname, c.relname) ELSE '' END || CASE c.relreplident WHEN 'f' THEN format(E';\\nALTER TABLE %I.%I REPLICA IDENTITY FULL', n.nspname, c.relname) WHEN 'n' THEN format(E';\\nALTER TABLE %I.%I REPLICA IDENTITY NOTHING', n.nspname, c.relname) ELSE '' END, format('DROP TABLE %I.%I', n.nspname, c.relname), c.oid::int8::text, 'pg_class/' || c.oid || '/0', json_build_object('parts', json_build_array(n.nspname, c.relname), 'parents', coalesce((SELECT json_agg(format('%I.%I', pn.nspname, pc.relname) ORDER BY i.inhseqno) FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid), '[]'::json))::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN LATERAL (SELECT format('%I.%I', pn.nspname, pc.relname) AS parent FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition) p ON true LEFT JOIN LATERAL (SELECT string_agg(format('%I.%I', pn.nspname, pc.relname), ', ' ORDER BY i.inhseqno) AS parents FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND NOT c.relispartition) h ON true CROSS JOIN LATERAL (SELECT coalesce(string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) FILTER (WHERE a.attislocal), '') AS list FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) cols CROSS JOIN LATERAL (SELECT concat_ws(E'\\n', 'kind: ' || CASE c.relkind WHEN 'p' THEN 'partitioned' ELSE 'table' END, 'partition by: ' || CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, 'partition of: ' || CASE WHEN c.relispartition THEN p.parent || ' ' || pg_get_expr(c.relpartbound, c.oid) END, 'inherits: ' || h.parents, 'unlogged: ' || CASE WHEN c.relpersistence = 'u' THEN 'yes' END, 'row level security: ' || CASE WHEN c.relrowsecurity THEN 'enabled' END, 'force row level security: ' || CASE WHEN c.relforcerowsecurity THEN 'yes' END, 'options: ' || array_to_string(c.reloptions, ', '), 'replica identity: ' || CASE c.relreplident WHEN 'f' THEN 'full' WHEN 'n' THEN 'nothing' WHEN 'i' THEN 'index' END) AS def) d WHERE c.relkind IN ('r', 'p') AND {}",
        rel("c")
    ));
    // Columns: a line a property, so that a change is said property by property.
    q.push(format!(
        "SELECT 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname), format('%I.%I', n.nspname, c.relname), d.def, format('ALTER TABLE %I.%I ADD COLUMN %I %s', n.nspname, c.relname, a.attname, d.spec) || CASE WHEN v.storage IS NOT NULL THEN format(E';\nALTER TABLE %I.%I ALTER COLUMN %I SET STORAGE %s', n.nspname, c.relname, a.attname, upper(v.storage)) ELSE '' END, format('ALTER TABLE %I.%I DROP COLUMN %I', n.nspname, c.relname, a.attname), (c.oid::int8 * 10000 + a.attnum)::text, 'pg_class/' || c.oid || '/' || a.attnum, json_build_array(n.nspname, c.relname, a.attname)::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type ty ON ty.oid = a.atttypid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum CROSS JOIN LATERAL (SELECT format_type(a.atttypid, a.atttypmod) AS type, CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation THEN a.attcollation::regcollation::text END AS coll, CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS dflt, CASE WHEN a.attgenerated = 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS gen, CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS ident, CASE WHEN a.attstorage <> ty.typstorage THEN CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' ELSE 'extended' END END AS storage) v CROSS JOIN LATERAL (SELECT concat_ws(E'\\n', 'type: ' || v.type, 'collation: ' || v.coll, 'not null: ' || CASE WHEN a.attnotnull THEN 'yes' END, 'default: ' || v.dflt, 'generated: ' || v.gen, 'identity: ' || v.ident, 'storage: ' || v.storage) AS def, concat_ws(' ', v.type, 'COLLATE ' || v.coll, 'DEFAULT ' || v.dflt, 'GENERATED ALWAYS AS (' || v.gen || ') STORED', 'GENERATED ' || upper(v.ident) || ' AS IDENTITY', CASE WHEN a.attnotnull THEN 'NOT NULL' END) AS spec) d WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0 AND NOT c.relispartition AND {}",
        rel("c")
    ));
    // Constraints of tables (those a partition or a child inherits come
    // with it).
    q.push(format!(
        "SELECT 'constraint', format('%I.%I.%I', n.nspname, c.relname, k.conname), format('%I.%I', n.nspname, c.relname), x.def, format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, c.relname, k.conname, x.def), format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, c.relname, k.conname), (CASE k.contype WHEN 'f' THEN 2 ELSE 1 END * 10000000000 + k.oid::int8)::text, 'pg_constraint/' || k.oid || '/0', json_build_array(n.nspname, c.relname, k.conname)::text FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL (SELECT pg_get_constraintdef(k.oid) AS def) x WHERE k.contype IN ('p', 'u', 'c', 'f', 'x') AND k.conparentid = 0 AND k.conislocal AND {}",
        rel("c")
    ));
    // Indexes (not those behind a constraint, nor a partition's copy of
    // its parent's).
    q.push(format!(
        "SELECT CASE c.relkind WHEN 'm' THEN 'materialized view index' ELSE 'index' END, format('%I.%I', n.nspname, ic.relname), format('%I.%I', tn.nspname, c.relname), x.def || CASE WHEN NOT i.indisvalid THEN ' (INVALID)' ELSE '' END, replace(x.def, ' ON ONLY ', ' ON '), format('DROP INDEX %I.%I', n.nspname, ic.relname), ic.oid::int8::text, 'pg_class/' || ic.oid || '/0', json_build_array(n.nspname, ic.relname)::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = c.relnamespace CROSS JOIN LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS def) x WHERE NOT ic.relispartition AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')) AND {} AND {}",
        rel("c"),
        not_member("pg_class", "ic.oid")
    ));
    // Views and materialized views; a view that reads itself (made by
    // CREATE OR REPLACE) first as a stand-in of its columns, as pg_dump
    // does.
    q.push(format!(
        "SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, format('%I.%I', n.nspname, c.relname), '', coalesce(array_to_string(c.reloptions, ', ') || E'\\n', '') || pg_get_viewdef(c.oid), CASE WHEN c.relkind = 'v' AND EXISTS (SELECT 1 FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid AND d.refobjsubid > 0 AND d.deptype = 'n' WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') THEN format(E'CREATE VIEW %I.%I AS SELECT %s;\nCREATE OR REPLACE VIEW %I.%I%s AS %s', n.nspname, c.relname, (SELECT string_agg(format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), n.nspname, c.relname, CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END, rtrim(pg_get_viewdef(c.oid), ';')) ELSE format('CREATE %s %I.%I%s AS %s', CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END, n.nspname, c.relname, CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END, rtrim(pg_get_viewdef(c.oid), ';')) END, format('DROP %s %I.%I', CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END, n.nspname, c.relname), c.oid::int8::text, 'pg_class/' || c.oid || '/0', json_build_array(n.nspname, c.relname)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND {}",
        rel("c")
    ));
    // Functions and procedures as PostgreSQL prints them; aggregates.
    // Not a range type's constructors (made with it: deptype i).
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
    q.push(format!(
        "SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)), '', pg_get_functiondef(p.oid), pg_get_functiondef(p.oid) || {revoke_f}, format('DROP %s %I.%I(%s)', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), p.oid::int8::text, 'pg_proc/' || p.oid || '/0', json_build_array(n.nspname, p.proname)::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind IN ('f', 'p', 'w') AND {proc}"
    ));
    q.push(format!(
        "SELECT 'aggregate', format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)), '', d.def, format('CREATE AGGREGATE %I.%I(%s) (%s)', n.nspname, p.proname, CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END, d.def) || {revoke_f}, format('DROP AGGREGATE %I.%I(%s)', n.nspname, p.proname, CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END), p.oid::int8::text, 'pg_proc/' || p.oid || '/0', json_build_array(n.nspname, p.proname)::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_aggregate g ON g.aggfnoid = p.oid CROSS JOIN LATERAL (SELECT concat_ws(', ', 'SFUNC = ' || g.aggtransfn::regproc::text, 'STYPE = ' || format_type(g.aggtranstype, NULL), CASE WHEN g.aggfinalfn <> 0 THEN 'FINALFUNC = ' || g.aggfinalfn::regproc::text END, CASE WHEN g.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || g.aggcombinefn::regproc::text END, 'INITCOND = ' || quote_literal(g.agginitval), CASE WHEN g.aggsortop <> 0 THEN 'SORTOP = ' || g.aggsortop::regoperator::text END) AS def) d WHERE p.prokind = 'a' AND {proc}"
    ));
    // Operators, as CREATE OPERATOR takes them; their function by name
    // and schema (regproc prints an OID for an overloaded name).
    q.push(format!(
        "SELECT 'operator', format('%I.%s(%s, %s)', n.nspname, o.oprname, g.l, g.r), '', d.def, format('CREATE OPERATOR %I.%s (%s)', n.nspname, o.oprname, d.def), format('DROP OPERATOR %I.%s (%s, %s)', n.nspname, o.oprname, g.l, g.r), o.oid::int8::text, 'pg_operator/' || o.oid || '/0' FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace JOIN pg_proc f ON f.oid = o.oprcode JOIN pg_namespace fn ON fn.oid = f.pronamespace CROSS JOIN LATERAL (SELECT coalesce(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE') AS l, coalesce(format_type(NULLIF(o.oprright, 0), NULL), 'NONE') AS r) g CROSS JOIN LATERAL (SELECT concat_ws(', ', format('FUNCTION = %I.%I', fn.nspname, f.proname), 'LEFTARG = ' || format_type(NULLIF(o.oprleft, 0), NULL), 'RIGHTARG = ' || format_type(NULLIF(o.oprright, 0), NULL), (SELECT format('COMMUTATOR = OPERATOR(%I.%s)', cn.nspname, c.oprname) FROM pg_operator c JOIN pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprcom), (SELECT format('NEGATOR = OPERATOR(%I.%s)', cn.nspname, c.oprname) FROM pg_operator c JOIN pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprnegate), CASE WHEN o.oprrest <> 0 THEN 'RESTRICT = ' || o.oprrest::regproc::text END, CASE WHEN o.oprjoin <> 0 THEN 'JOIN = ' || o.oprjoin::regproc::text END, CASE WHEN o.oprcanhash THEN 'HASHES' END, CASE WHEN o.oprcanmerge THEN 'MERGES' END) AS def) d WHERE {USER_NS} AND {}",
        not_member("pg_operator", "o.oid")
    ));
    // Casts between types (not those a type makes for itself, as a range
    // to its multirange, nor extensions'); their function by schema, name and argument types.
    q.push(format!(
        "SELECT 'cast', format('%s AS %s', c.s, c.t), '', d.def, format('CREATE CAST (%s AS %s) %s', c.s, c.t, d.def), format('DROP CAST (%s AS %s)', c.s, c.t), k.oid::int8::text, 'pg_cast/' || k.oid || '/0' FROM pg_cast k CROSS JOIN LATERAL (SELECT format_type(k.castsource, NULL) AS s, format_type(k.casttarget, NULL) AS t) c LEFT JOIN pg_proc f ON f.oid = k.castfunc LEFT JOIN pg_namespace fn ON fn.oid = f.pronamespace CROSS JOIN LATERAL (SELECT concat_ws(' ', CASE k.castmethod WHEN 'f' THEN format('WITH FUNCTION %I.%I(%s)', fn.nspname, f.proname, oidvectortypes(f.proargtypes)) WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END, CASE k.castcontext WHEN 'a' THEN 'AS ASSIGNMENT' WHEN 'i' THEN 'AS IMPLICIT' END) AS def) d WHERE k.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_cast'::regclass AND i.objid = k.oid AND i.deptype = 'i') AND {}",
        not_member("pg_cast", "k.oid")
    ));
    // Text search dictionaries and configurations (their mappings grouped
    // by the dictionaries a token goes through).
    q.push(format!(
        "SELECT 'text search dictionary', format('%I.%I', n.nspname, d.dictname), '', x.def, format('CREATE TEXT SEARCH DICTIONARY %I.%I (%s)', n.nspname, d.dictname, x.def), format('DROP TEXT SEARCH DICTIONARY %I.%I', n.nspname, d.dictname), d.oid::int8::text, 'pg_ts_dict/' || d.oid || '/0' FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace JOIN pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_namespace tn ON tn.oid = t.tmplnamespace CROSS JOIN LATERAL (SELECT concat_ws(', ', format('TEMPLATE = %I.%I', tn.nspname, t.tmplname), d.dictinitoption) AS def) x WHERE {USER_NS} AND {}",
        not_member("pg_ts_dict", "d.oid")
    ));
    q.push(format!(
        "SELECT 'text search configuration', format('%I.%I', n.nspname, c.cfgname), '', x.def, format('CREATE TEXT SEARCH CONFIGURATION %I.%I (PARSER = %I.%I)', n.nspname, c.cfgname, pn.nspname, p.prsname) || coalesce(x.maps, ''), format('DROP TEXT SEARCH CONFIGURATION %I.%I', n.nspname, c.cfgname), c.oid::int8::text, 'pg_ts_config/' || c.oid || '/0' FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace JOIN pg_ts_parser p ON p.oid = c.cfgparser JOIN pg_namespace pn ON pn.oid = p.prsnamespace CROSS JOIN LATERAL (SELECT string_agg(format(E';\\nALTER TEXT SEARCH CONFIGURATION %I.%I ADD MAPPING FOR %s WITH %s', n.nspname, c.cfgname, g.toks, g.dicts), '' ORDER BY g.toks) AS maps, format('PARSER = %I.%I', pn.nspname, p.prsname) || coalesce(E'\\n' || string_agg(g.toks || ': ' || g.dicts, E'\\n' ORDER BY g.toks), '') AS def FROM (SELECT string_agg(m.tok, ', ' ORDER BY m.tok) AS toks, m.dicts FROM (SELECT tt.alias AS tok, string_agg(format('%I.%I', dn.nspname, dd.dictname), ', ' ORDER BY mm.mapseqno) AS dicts FROM pg_ts_config_map mm JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = mm.maptokentype JOIN pg_ts_dict dd ON dd.oid = mm.mapdict JOIN pg_namespace dn ON dn.oid = dd.dictnamespace WHERE mm.mapcfg = c.oid GROUP BY tt.alias) m GROUP BY m.dicts) g) x WHERE {USER_NS} AND {}",
        not_member("pg_ts_config", "c.oid")
    ));
    // Triggers (not internal ones, nor a partition's clone), rules, policies.
    q.push(format!(
        "SELECT 'trigger', format('%I.%I.%I', n.nspname, c.relname, t.tgname), format('%I.%I', n.nspname, c.relname), pg_get_triggerdef(t.oid), pg_get_triggerdef(t.oid), format('DROP TRIGGER %I ON %I.%I', t.tgname, n.nspname, c.relname), t.oid::int8::text, 'pg_trigger/' || t.oid || '/0' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND {}",
        rel("c")
    ));
    q.push(format!(
        "SELECT 'rule', format('%I.%I.%I', n.nspname, c.relname, r.rulename), format('%I.%I', n.nspname, c.relname), pg_get_ruledef(r.oid), rtrim(pg_get_ruledef(r.oid), ';'), format('DROP RULE %I ON %I.%I', r.rulename, n.nspname, c.relname), r.oid::int8::text, 'pg_rewrite/' || r.oid || '/0' FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rulename <> '_RETURN' AND {}",
        rel("c")
    ));
    q.push(format!(
        "SELECT 'policy', format('%I.%I.%I', n.nspname, c.relname, p.polname), format('%I.%I', n.nspname, c.relname), d.def, format('CREATE POLICY %I ON %I.%I %s', p.polname, n.nspname, c.relname, d.def), format('DROP POLICY %I ON %I.%I', p.polname, n.nspname, c.relname), p.oid::int8::text, 'pg_policy/' || p.oid || '/0' FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL (SELECT concat_ws(' ', 'AS ' || CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END, 'FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, 'TO ' || (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(r::regrole::text) END, ', ' ORDER BY 1) FROM unnest(p.polroles) r), 'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', 'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')') AS def) d WHERE {}",
        rel("c")
    ));
    q.push(format!(
        "SELECT 'statistics', format('%I.%I', n.nspname, s.stxname), '', pg_get_statisticsobjdef(s.oid), pg_get_statisticsobjdef(s.oid), format('DROP STATISTICS %I.%I', n.nspname, s.stxname), s.oid::int8::text, 'pg_statistic_ext/' || s.oid || '/0' FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace JOIN pg_class c ON c.oid = s.stxrelid WHERE {}",
        rel("c")
    ));

    // Publications: what they publish (tables with their column lists and
    // row filters, schemas, or all tables) and which changes.
    q.push(format!(
        "SELECT 'publication', quote_ident(p.pubname), '', ltrim(x.target) || E'\\n' || x.opts, format('CREATE PUBLICATION %I%s WITH (%s)', p.pubname, x.target, x.opts), format('DROP PUBLICATION %I', p.pubname), p.oid::int8::text, 'pg_publication/' || p.oid || '/0' FROM pg_publication p CROSS JOIN LATERAL (SELECT CASE WHEN p.puballtables THEN ' FOR ALL TABLES' ELSE coalesce(' FOR ' || nullif(concat_ws(', ', (SELECT 'TABLE ' || string_agg(format('%I.%I', n.nspname, c.relname) || coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = r.prrelid AND a.attnum = ANY (r.prattrs::int2[])) || ')', '') || coalesce(' WHERE (' || pg_get_expr(r.prqual, r.prrelid) || ')', ''), ', ' ORDER BY n.nspname, c.relname) FROM pg_publication_rel r JOIN pg_class c ON c.oid = r.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.prpubid = p.oid), (SELECT 'TABLES IN SCHEMA ' || string_agg(quote_ident(n.nspname), ', ' ORDER BY n.nspname) FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid)), ''), '') END AS target, format('publish = %L, publish_via_partition_root = %s', concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END, CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END), CASE WHEN p.pubviaroot THEN 'true' ELSE 'false' END) AS opts) x WHERE {}",
        not_member("pg_publication", "p.oid")
    ));

    // Comments on all of these, by PostgreSQL's own identity of the object.
    q.push(format!(
        "SELECT 'comment', o.type || ' ' || o.identity, coalesce(CASE d.classoid WHEN 'pg_class'::regclass THEN (SELECT CASE WHEN d.objsubid > 0 THEN format('%I.%I.%I', n.nspname, c.relname, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = d.objsubid)) ELSE format('%I.%I', n.nspname, c.relname) END FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = d.objoid) WHEN 'pg_proc'::regclass THEN (SELECT format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = d.objoid) WHEN 'pg_type'::regclass THEN (SELECT format('%I.%I', n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = d.objoid) WHEN 'pg_namespace'::regclass THEN (SELECT format('%I', n.nspname) FROM pg_namespace n WHERE n.oid = d.objoid) WHEN 'pg_cast'::regclass THEN (SELECT format('%s AS %s', format_type(k.castsource, NULL), format_type(k.casttarget, NULL)) FROM pg_cast k WHERE k.oid = d.objoid) WHEN 'pg_operator'::regclass THEN (SELECT format('%I.%s(%s, %s)', n.nspname, o.oprname, coalesce(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE'), coalesce(format_type(NULLIF(o.oprright, 0), NULL), 'NONE')) FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE o.oid = d.objoid) WHEN 'pg_constraint'::regclass THEN (SELECT CASE WHEN k.conrelid <> 0 THEN format('%I.%I.%I', n.nspname, c.relname, k.conname) ELSE format('%I.%I', tn.nspname, t.typname) END FROM pg_constraint k LEFT JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_type t ON t.oid = k.contypid LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace WHERE k.oid = d.objoid) WHEN 'pg_trigger'::regclass THEN (SELECT format('%I.%I.%I', n.nspname, c.relname, x.tgname) FROM pg_trigger x JOIN pg_class c ON c.oid = x.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE x.oid = d.objoid) WHEN 'pg_policy'::regclass THEN (SELECT format('%I.%I.%I', n.nspname, c.relname, x.polname) FROM pg_policy x JOIN pg_class c ON c.oid = x.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE x.oid = d.objoid) WHEN 'pg_rewrite'::regclass THEN (SELECT format('%I.%I.%I', n.nspname, c.relname, x.rulename) FROM pg_rewrite x JOIN pg_class c ON c.oid = x.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace WHERE x.oid = d.objoid) WHEN 'pg_extension'::regclass THEN (SELECT format('%I', x.extname) FROM pg_extension x WHERE x.oid = d.objoid) END, ''), d.description, format('COMMENT ON %s %s IS %L', k.word, k.target, d.description), format('COMMENT ON %s %s IS NULL', k.word, k.target), (d.classoid::int8 * 100000000 + d.objoid::int8)::text, '' FROM (SELECT * FROM pg_description WHERE objoid >= 16384) d CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o CROSS JOIN LATERAL (SELECT CASE WHEN o.type LIKE '% constraint' THEN 'CONSTRAINT' WHEN o.type LIKE '% column' THEN 'COLUMN' WHEN o.type = 'statistics object' THEN 'STATISTICS' ELSE upper(o.type) END AS word, CASE o.type WHEN 'domain constraint' THEN regexp_replace(o.identity, ' on ', ' on domain ') ELSE o.identity END AS target) k WHERE o.type IN ('schema', 'table', 'table column', 'view column', 'materialized view column', 'composite type column', 'index', 'sequence', 'view', 'materialized view', 'type', 'domain', 'function', 'procedure', 'aggregate', 'operator', 'cast', 'text search dictionary', 'text search configuration', 'trigger', 'rule', 'policy', 'table constraint', 'domain constraint', 'extension', 'collation', 'statistics object') AND (o.schema IS NULL OR o.schema NOT IN ('pg_catalog', 'information_schema') AND o.schema NOT LIKE 'pg\\_toast%') AND NOT (o.type = 'schema' AND (o.identity IN ('public', 'information_schema') OR o.identity LIKE 'pg\\_%')) AND NOT (o.type = 'extension' AND o.identity = 'plpgsql') AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e') AND {}",
        not_ours("d.objoid", own)
    ));

    // Grants, as each role's privileges beside the owner's (the owner may
    // differ from one database to the next); the defaults count.
    // An object's grants go with it (their parent is the object).
    // A grant is taken back privilege by privilege, never `REVOKE ALL`:
    // on a table that also takes back every column privilege of the role.
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
    // Column privileges (explicit only: a column has none by default).
    q.push(format!(
        "SELECT 'grant', format('column %s.%I to %s', x.target, x.attname, g.grantee), format('%s.%I', x.target, x.attname), string_agg(g.privilege_type || CASE WHEN g.is_grantable THEN ' (grantable)' ELSE '' END, ', ' ORDER BY g.privilege_type), concat_ws(E';\\n', CASE WHEN bool_or(NOT g.is_grantable) THEN format('GRANT %s ON TABLE %s TO %s', string_agg(format('%s (%I)', g.privilege_type, x.attname), ', ' ORDER BY g.privilege_type) FILTER (WHERE NOT g.is_grantable), x.target, g.grantee) END, CASE WHEN bool_or(g.is_grantable) THEN format('GRANT %s ON TABLE %s TO %s WITH GRANT OPTION', string_agg(format('%s (%I)', g.privilege_type, x.attname), ', ' ORDER BY g.privilege_type) FILTER (WHERE g.is_grantable), x.target, g.grantee) END), format('REVOKE ALL (%I) ON TABLE %s FROM %s', x.attname, x.target, g.grantee), '0', '' FROM (SELECT c.relowner, format('%I.%I', n.nspname, c.relname) AS target, a.attname, a.attacl FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND {}) x CROSS JOIN LATERAL (SELECT CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE e.grantee::regrole::text END AS grantee, e.privilege_type, e.is_grantable FROM aclexplode(x.attacl) e WHERE e.grantee <> x.relowner) g GROUP BY x.target, x.attname, g.grantee",
        rel("c")
    ));
    // Default privileges; the role running neonops is written CURRENT_USER
    // (the scratch database is built by another role than production's).
    q.push("SELECT 'default privileges', format('for %s%s on %s to %s', g.role, replace(g.schema, ' IN SCHEMA ', ' in schema '), g.objects, g.grantee), '', g.privs, format('ALTER DEFAULT PRIVILEGES FOR ROLE %s%s GRANT %s ON %s TO %s', g.role, g.schema, g.privs, g.objects, g.grantee), format('ALTER DEFAULT PRIVILEGES FOR ROLE %s%s REVOKE ALL ON %s FROM %s', g.role, g.schema, g.objects, g.grantee), '0', '', json_build_array(g.role, g.nsp, g.objects, g.grantee)::text FROM (SELECT CASE WHEN d.defaclrole = current_user::regrole THEN 'CURRENT_USER' ELSE d.defaclrole::regrole::text END AS role, CASE WHEN d.defaclnamespace <> 0 THEN ' IN SCHEMA ' || d.defaclnamespace::regnamespace::text ELSE '' END AS schema, coalesce((SELECT dn.nspname::text FROM pg_namespace dn WHERE dn.oid = d.defaclnamespace), '') AS nsp, CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS objects, CASE WHEN a.grantee = 0 THEN 'PUBLIC' WHEN a.grantee = current_user::regrole THEN 'CURRENT_USER' ELSE a.grantee::regrole::text END AS grantee, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS privs FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) a GROUP BY 1, 2, 3, 4, 5) g".into());

    // What depends on what: PostgreSQL's own graph, as it is (each end
    // `class/oid/sub`), and the aliases that turn an end into the address
    // of an object above (a view's rule is the view, a column default its
    // column, a table's row type the table, an array type its element, a
    // domain's constraint the domain, a constraint's index the
    // constraint, an extension's member its extension): joined in the
    // client, where it is a hash lookup. Not an owned sequence's link to
    // its column (OWNED BY is a step of its own), nor internal links.
    q.push("SELECT 'depends', d.classid::regclass::text || '/' || d.objid || '/' || d.objsubid, d.refclassid::regclass::text || '/' || d.refobjid || '/' || d.refobjsubid, '', '', '', '0', '' FROM pg_depend d WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= 16384 AND NOT (d.deptype = 'a' AND d.classid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.objid IN (SELECT q.oid FROM pg_class q WHERE q.relkind = 'S'))".into());
    q.push("SELECT 'alias', 'pg_rewrite/' || r.oid || '/0', 'pg_class/' || r.ev_class || '/0', '', '', '', '0', '' FROM pg_rewrite r WHERE r.oid >= 16384 AND r.rulename = '_RETURN' \
UNION ALL SELECT 'alias', 'pg_attrdef/' || a.oid || '/0', 'pg_class/' || a.adrelid || '/' || a.adnum, '', '', '', '0', '' FROM pg_attrdef a WHERE a.oid >= 16384 \
UNION ALL SELECT 'alias', 'pg_type/' || t.oid || '/0', CASE WHEN t.typrelid <> 0 THEN 'pg_class/' || t.typrelid ELSE 'pg_type/' || t.typelem END || '/0', '', '', '', '0', '' FROM pg_type t WHERE t.oid >= 16384 AND (t.typrelid <> 0 OR (t.typcategory = 'A' AND t.typelem <> 0)) \
UNION ALL SELECT 'alias', 'pg_constraint/' || k.oid || '/0', 'pg_type/' || k.contypid || '/0', '', '', '', '0', '' FROM pg_constraint k WHERE k.oid >= 16384 AND k.contypid <> 0 \
UNION ALL SELECT 'alias', 'pg_class/' || k.conindid || '/0', 'pg_constraint/' || k.oid || '/0', '', '', '', '0', '' FROM pg_constraint k JOIN pg_index i ON i.indexrelid = k.conindid AND i.indrelid = k.conrelid WHERE k.oid >= 16384 AND k.contype IN ('p', 'u', 'x') \
UNION ALL SELECT 'alias', 'pg_publication_rel/' || r.oid || '/0', 'pg_publication/' || r.prpubid || '/0', '', '', '', '0', '' FROM pg_publication_rel r \
UNION ALL SELECT 'alias', 'pg_publication_namespace/' || r.oid || '/0', 'pg_publication/' || r.pnpubid || '/0', '', '', '', '0', '' FROM pg_publication_namespace r \
UNION ALL SELECT 'alias', e.classid::regclass::text || '/' || e.objid || '/' || e.objsubid, 'pg_extension/' || e.refobjid || '/0', '', '', '', '0', '' FROM pg_depend e WHERE e.deptype = 'e' AND e.objid >= 16384".into());

    // Kinds not modelled: counted, so that they are never taken as equal.
    q.push(format!(
        "SELECT 'not compared', k, '', n::text, '', '', '0', '' FROM (VALUES ('event triggers', (SELECT count(*) FROM pg_event_trigger t WHERE {})), ('foreign tables', (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'f' AND {})), ('foreign servers', (SELECT count(*) FROM pg_foreign_server s WHERE {})), ('operator classes', (SELECT count(*) FROM pg_opclass o JOIN pg_namespace n ON n.oid = o.opcnamespace WHERE {USER_NS} AND {})), ('procedural languages', (SELECT count(*) FROM pg_language l WHERE l.oid >= 16384 AND {})), ('conversions', (SELECT count(*) FROM pg_conversion v JOIN pg_namespace n ON n.oid = v.connamespace WHERE {USER_NS} AND {}))) v(k, n) WHERE n > 0",
        not_member("pg_event_trigger", "t.oid"),
        rel("c"),
        not_member("pg_foreign_server", "s.oid"),
        not_member("pg_opclass", "o.oid"),
        not_member("pg_language", "l.oid"),
        not_member("pg_conversion", "v.oid"),
    ));
    q.join(";\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_catalog_query_parses_and_names_come_back_unquoted() {
        let sql = super::sql(&["public.refinery_schema_history".to_string()]);
        let parsed = pg_query::parse(&sql, 0).unwrap_or_else(|e| panic!("{e}"));
        let statements = sql.split(";\nSELECT").count();
        assert_eq!(parsed.protobuf.stmts.len(), statements);
        // The parts of names travel unquoted, as JSON, never as SQL text.
        for kind in [
            "'table'",
            "'column'",
            "'constraint'",
            "'materialized view index'",
            "'enum'",
            "'extension'",
        ] {
            let at = sql.find(kind).expect(kind);
            let end = sql[at..].find(";\nSELECT").map_or(sql.len(), |e| at + e);
            assert!(
                sql[at..end].contains("json_build_array(n.nspname, "),
                "{kind} has no parts"
            );
        }
    }
}
