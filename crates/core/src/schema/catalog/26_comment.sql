-- Comments on all of these, by PostgreSQL's own identity of the object.
SELECT 'comment', o.type || ' ' || o.identity, coalesce(CASE d.classoid WHEN 'pg_class'::regclass THEN (SELECT CASE WHEN d.objsubid > 0 THEN format('%I.%I.%I', n.nspname, c.relname, (SELECT a.attname
FROM pg_attribute a
WHERE a.attrelid = c.oid AND a.attnum = d.objsubid)) ELSE format('%I.%I', n.nspname, c.relname) END
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = d.objoid) WHEN 'pg_proc'::regclass THEN (SELECT format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes))
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.oid = d.objoid) WHEN 'pg_type'::regclass THEN (SELECT format('%I.%I', n.nspname, t.typname)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid = d.objoid) WHEN 'pg_namespace'::regclass THEN (SELECT format('%I', n.nspname)
FROM pg_namespace n
WHERE n.oid = d.objoid) WHEN 'pg_cast'::regclass THEN (SELECT format('%s AS %s', format_type(k.castsource, NULL), format_type(k.casttarget, NULL))
FROM pg_cast k
WHERE k.oid = d.objoid) WHEN 'pg_operator'::regclass THEN (SELECT format('%I.%s(%s, %s)', n.nspname, o.oprname, coalesce(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE'), coalesce(format_type(NULLIF(o.oprright, 0), NULL), 'NONE'))
FROM pg_operator o
JOIN pg_namespace n ON n.oid = o.oprnamespace
WHERE o.oid = d.objoid) WHEN 'pg_constraint'::regclass THEN (SELECT CASE WHEN k.conrelid <> 0 THEN format('%I.%I.%I', n.nspname, c.relname, k.conname) ELSE format('%I.%I', tn.nspname, t.typname) END
FROM pg_constraint k
LEFT JOIN pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_type t ON t.oid = k.contypid
LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
WHERE k.oid = d.objoid) WHEN 'pg_trigger'::regclass THEN (SELECT format('%I.%I.%I', n.nspname, c.relname, x.tgname)
FROM pg_trigger x
JOIN pg_class c ON c.oid = x.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE x.oid = d.objoid) WHEN 'pg_policy'::regclass THEN (SELECT format('%I.%I.%I', n.nspname, c.relname, x.polname)
FROM pg_policy x
JOIN pg_class c ON c.oid = x.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE x.oid = d.objoid) WHEN 'pg_rewrite'::regclass THEN (SELECT format('%I.%I.%I', n.nspname, c.relname, x.rulename)
FROM pg_rewrite x
JOIN pg_class c ON c.oid = x.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE x.oid = d.objoid) WHEN 'pg_extension'::regclass THEN (SELECT format('%I', x.extname)
FROM pg_extension x
WHERE x.oid = d.objoid) END, ''), d.description, format('COMMENT ON %s %s IS %L', k.word, k.target, d.description), format('COMMENT ON %s %s IS NULL', k.word, k.target), (d.classoid::int8 * 100000000 + d.objoid::int8)::text, ''
FROM (SELECT *
FROM pg_description
WHERE objoid >= 16384) d
CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
CROSS JOIN LATERAL (SELECT CASE WHEN o.type LIKE '% constraint' THEN 'CONSTRAINT' WHEN o.type LIKE '% column' THEN 'COLUMN' WHEN o.type = 'statistics object' THEN 'STATISTICS' ELSE upper(o.type) END AS word, CASE o.type WHEN 'domain constraint' THEN regexp_replace(o.identity, ' on ', ' on domain ') ELSE o.identity END AS target) k
WHERE o.type IN ('schema', 'table', 'table column', 'view column', 'materialized view column', 'composite type column', 'index', 'sequence', 'view', 'materialized view', 'type', 'domain', 'function', 'procedure', 'aggregate', 'operator', 'cast', 'text search dictionary', 'text search configuration', 'trigger', 'rule', 'policy', 'table constraint', 'domain constraint', 'extension', 'collation', 'statistics object') AND (o.schema IS NULL OR o.schema NOT IN ('pg_catalog', 'information_schema') AND o.schema NOT LIKE 'pg\_toast%') AND NOT (o.type = 'schema' AND (o.identity IN ('public', 'information_schema') OR o.identity LIKE 'pg\_%')) AND NOT (o.type = 'extension' AND o.identity = 'plpgsql') AND NOT EXISTS (SELECT 1
FROM pg_depend e
WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e') AND {not_ours_d}
