-- Indexes (not those behind a constraint, nor a partition's copy of
-- its parent's).
SELECT CASE c.relkind WHEN 'm' THEN 'materialized view index' ELSE 'index' END, format('%I.%I', n.nspname, ic.relname), format('%I.%I', tn.nspname, c.relname), x.def || CASE WHEN NOT i.indisvalid THEN ' (INVALID)' ELSE '' END, replace(x.def, ' ON ONLY ', ' ON '), format('DROP INDEX %I.%I', n.nspname, ic.relname), ic.oid::int8::text, 'pg_class/' || ic.oid || '/0', json_build_array(n.nspname, ic.relname)::text
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace tn ON tn.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS def) x
WHERE NOT ic.relispartition AND NOT EXISTS (SELECT 1
FROM pg_constraint k
WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')) AND {rel_c} AND {not_member_pg_class_ic}
