-- Sequences (not those of identity columns: they go with the column),
-- and which column owns each (after the columns exist). An owned
-- sequence's parent is its table: it is dropped with it.
SELECT 'sequence', format('%I.%I', n.nspname, c.relname), coalesce((SELECT format('%I.%I', tn.nspname, tc.relname)
FROM pg_depend o
JOIN pg_class tc ON tc.oid = o.refobjid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'a'), ''), d.def, format('CREATE SEQUENCE %I.%I %s', n.nspname, c.relname, d.def), format('DROP SEQUENCE %I.%I', n.nspname, c.relname), c.oid::int8::text, 'pg_class/' || c.oid || '/0', json_build_array(n.nspname, c.relname)::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
CROSS JOIN LATERAL (SELECT format('AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s', format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END) AS def) d
WHERE c.relkind = 'S' AND NOT EXISTS (SELECT 1
FROM pg_depend i
WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i') AND {rel_c}
