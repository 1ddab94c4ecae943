-- Columns: a line a property, so that a change is said property by property.
SELECT 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname), format('%I.%I', n.nspname, c.relname), d.def, format('ALTER TABLE %I.%I ADD COLUMN %I %s', n.nspname, c.relname, a.attname, d.spec) || CASE WHEN v.storage IS NOT NULL THEN format(E';
ALTER TABLE %I.%I ALTER COLUMN %I SET STORAGE %s', n.nspname, c.relname, a.attname, upper(v.storage)) ELSE '' END, format('ALTER TABLE %I.%I DROP COLUMN %I', n.nspname, c.relname, a.attname), (c.oid::int8 * 10000 + a.attnum)::text, 'pg_class/' || c.oid || '/' || a.attnum, json_build_array(n.nspname, c.relname, a.attname)::text
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
CROSS JOIN LATERAL (SELECT format_type(a.atttypid, a.atttypmod) AS type, CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation THEN a.attcollation::regcollation::text END AS coll, CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS dflt, CASE WHEN a.attgenerated = 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS gen, CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS ident, CASE WHEN a.attstorage <> ty.typstorage THEN CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' ELSE 'extended' END END AS storage) v
CROSS JOIN LATERAL (SELECT concat_ws(E'\n', 'type: ' || v.type, 'collation: ' || v.coll, 'not null: ' || CASE WHEN a.attnotnull THEN 'yes' END, 'default: ' || v.dflt, 'generated: ' || v.gen, 'identity: ' || v.ident, 'storage: ' || v.storage) AS def, concat_ws(' ', v.type, 'COLLATE ' || v.coll, 'DEFAULT ' || v.dflt, 'GENERATED ALWAYS AS (' || v.gen || ') STORED', 'GENERATED ' || upper(v.ident) || ' AS IDENTITY', CASE WHEN a.attnotnull THEN 'NOT NULL' END) AS spec) d
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0 AND NOT c.relispartition AND {rel_c}
