SELECT 'collation', format('%I.%I', n.nspname, c.collname), '', d.def, format('CREATE COLLATION %I.%I (%s)', n.nspname, c.collname, d.def), format('DROP COLLATION %I.%I', n.nspname, c.collname), c.oid::int8::text, 'pg_collation/' || c.oid || '/0'
FROM pg_collation c
JOIN pg_namespace n ON n.oid = c.collnamespace
CROSS JOIN LATERAL (SELECT concat_ws(', ', 'provider = ' || CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END, 'locale = ' || quote_literal(coalesce(c.colliculocale, c.collcollate)), CASE WHEN NOT c.collisdeterministic THEN 'deterministic = false' END) AS def) d
WHERE {user_ns} AND {not_member_pg_collation_c}
