-- Publications: what they publish (tables with their column lists and
-- row filters, schemas, or all tables) and which changes.
SELECT 'publication', quote_ident(p.pubname), '', ltrim(x.target) || E'\n' || x.opts, format('CREATE PUBLICATION %I%s WITH (%s)', p.pubname, x.target, x.opts), format('DROP PUBLICATION %I', p.pubname), p.oid::int8::text, 'pg_publication/' || p.oid || '/0'
FROM pg_publication p
CROSS JOIN LATERAL (SELECT CASE WHEN p.puballtables THEN ' FOR ALL TABLES' ELSE coalesce(' FOR ' || nullif(concat_ws(', ', (SELECT 'TABLE ' || string_agg(format('%I.%I', n.nspname, c.relname) || coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
FROM pg_attribute a
WHERE a.attrelid = r.prrelid AND a.attnum = ANY (r.prattrs::int2[])) || ')', '') || coalesce(' WHERE (' || pg_get_expr(r.prqual, r.prrelid) || ')', ''), ', ' ORDER BY n.nspname, c.relname)
FROM pg_publication_rel r
JOIN pg_class c ON c.oid = r.prrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.prpubid = p.oid), (SELECT 'TABLES IN SCHEMA ' || string_agg(quote_ident(n.nspname), ', ' ORDER BY n.nspname)
FROM pg_publication_namespace pn
JOIN pg_namespace n ON n.oid = pn.pnnspid
WHERE pn.pnpubid = p.oid)), ''), '') END AS target, format('publish = %L, publish_via_partition_root = %s', concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END, CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END), CASE WHEN p.pubviaroot THEN 'true' ELSE 'false' END) AS opts) x
WHERE {not_member_pg_publication_p}
