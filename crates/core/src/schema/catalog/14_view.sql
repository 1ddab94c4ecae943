-- Views and materialized views; a view that reads itself (made by
-- CREATE OR REPLACE) first as a stand-in of its columns, as pg_dump
-- does.
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, format('%I.%I', n.nspname, c.relname), '', coalesce(array_to_string(c.reloptions, ', ') || E'\n', '') || pg_get_viewdef(c.oid), CASE WHEN c.relkind = 'v' AND EXISTS (SELECT 1
FROM pg_rewrite r
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid AND d.refobjsubid > 0 AND d.deptype = 'n'
WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') THEN format(E'CREATE VIEW %I.%I AS SELECT %s;
CREATE OR REPLACE VIEW %I.%I%s AS %s', n.nspname, c.relname, (SELECT string_agg(format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname), ', ' ORDER BY a.attnum)
FROM pg_attribute a
WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), n.nspname, c.relname, CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END, rtrim(pg_get_viewdef(c.oid), ';')) ELSE format('CREATE %s %I.%I%s AS %s', CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END, n.nspname, c.relname, CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END, rtrim(pg_get_viewdef(c.oid), ';')) END, format('DROP %s %I.%I', CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END, n.nspname, c.relname), c.oid::int8::text, 'pg_class/' || c.oid || '/0', json_build_array(n.nspname, c.relname)::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND {rel_c}
