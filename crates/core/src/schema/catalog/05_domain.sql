SELECT 'domain', format('%I.%I', n.nspname, t.typname), '', d.def, format('CREATE DOMAIN %I.%I AS %s', n.nspname, t.typname, d.def) || {revoke_t}, format('DROP DOMAIN %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_type/' || t.oid || '/0', json_build_array(n.nspname, t.typname)::text
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type b ON b.oid = t.typbasetype
CROSS JOIN LATERAL (SELECT concat_ws(' ', format_type(t.typbasetype, t.typtypmod), CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation THEN 'COLLATE ' || t.typcollation::regcollation::text END, 'DEFAULT ' || t.typdefault, CASE WHEN t.typnotnull THEN 'NOT NULL' END, (SELECT string_agg(format('CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)), ' ' ORDER BY c.conname)
FROM pg_constraint c
WHERE c.contypid = t.oid)) AS def) d
WHERE t.typtype = 'd' AND {typ}
