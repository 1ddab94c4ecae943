SELECT 'type', format('%I.%I', n.nspname, t.typname), '', d.def, format('CREATE TYPE %I.%I AS (%s)', n.nspname, t.typname, d.def) || {revoke_t}, format('DROP TYPE %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_class/' || c.oid || '/0'
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_class c ON c.oid = t.typrelid
CROSS JOIN LATERAL (SELECT coalesce(string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)) || CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT y.typcollation
FROM pg_type y
WHERE y.oid = a.atttypid) THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END, ', ' ORDER BY a.attnum), '') AS def
FROM pg_attribute a
WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) d
WHERE t.typtype = 'c' AND c.relkind = 'c' AND {typ}
