-- Tables: their own properties (columns, constraints and indexes are
-- objects of their own). The definition is a line a property.
SELECT 'table', format('%I.%I', n.nspname, c.relname), '', d.def, CASE WHEN c.relispartition THEN format('CREATE TABLE %I.%I PARTITION OF %s %s', n.nspname, c.relname, p.parent, pg_get_expr(c.relpartbound, c.oid)) ELSE format('CREATE %sTABLE %I.%I (%s)%s%s', CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END, n.nspname, c.relname, cols.list, CASE WHEN h.parents IS NOT NULL THEN ' INHERITS (' || h.parents || ')' ELSE '' END, CASE WHEN c.relkind = 'p' THEN ' PARTITION BY ' || pg_get_partkeydef(c.oid) ELSE '' END) END || CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END || CASE WHEN c.relrowsecurity THEN format(E';\nALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', n.nspname, c.relname) ELSE '' END || CASE WHEN c.relforcerowsecurity THEN format(E';\nALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', n.nspname, c.relname) ELSE '' END || CASE c.relreplident WHEN 'f' THEN format(E';\nALTER TABLE %I.%I REPLICA IDENTITY FULL', n.nspname, c.relname) WHEN 'n' THEN format(E';\nALTER TABLE %I.%I REPLICA IDENTITY NOTHING', n.nspname, c.relname) ELSE '' END, format('DROP TABLE %I.%I', n.nspname, c.relname), c.oid::int8::text, 'pg_class/' || c.oid || '/0', json_build_object('parts', json_build_array(n.nspname, c.relname), 'parents', coalesce((SELECT json_agg(format('%I.%I', pn.nspname, pc.relname) ORDER BY i.inhseqno)
FROM pg_inherits i
JOIN pg_class pc ON pc.oid = i.inhparent
JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE i.inhrelid = c.oid), '[]'::json))::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (SELECT format('%I.%I', pn.nspname, pc.relname) AS parent
FROM pg_inherits i
JOIN pg_class pc ON pc.oid = i.inhparent
JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE i.inhrelid = c.oid AND c.relispartition) p ON true
LEFT JOIN LATERAL (SELECT string_agg(format('%I.%I', pn.nspname, pc.relname), ', ' ORDER BY i.inhseqno) AS parents
FROM pg_inherits i
JOIN pg_class pc ON pc.oid = i.inhparent
JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE i.inhrelid = c.oid AND NOT c.relispartition) h ON true
CROSS JOIN LATERAL (SELECT coalesce(string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum) FILTER (WHERE a.attislocal), '') AS list
FROM pg_attribute a
WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) cols
CROSS JOIN LATERAL (SELECT concat_ws(E'\n', 'kind: ' || CASE c.relkind WHEN 'p' THEN 'partitioned' ELSE 'table' END, 'partition by: ' || CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, 'partition of: ' || CASE WHEN c.relispartition THEN p.parent || ' ' || pg_get_expr(c.relpartbound, c.oid) END, 'inherits: ' || h.parents, 'unlogged: ' || CASE WHEN c.relpersistence = 'u' THEN 'yes' END, 'row level security: ' || CASE WHEN c.relrowsecurity THEN 'enabled' END, 'force row level security: ' || CASE WHEN c.relforcerowsecurity THEN 'yes' END, 'options: ' || array_to_string(c.reloptions, ', '), 'replica identity: ' || CASE c.relreplident WHEN 'f' THEN 'full' WHEN 'n' THEN 'nothing' WHEN 'i' THEN 'index' END) AS def) d
WHERE c.relkind IN ('r', 'p') AND {rel_c}
