SELECT 'range', format('%I.%I', n.nspname, t.typname), '', d.def, format('CREATE TYPE %I.%I AS RANGE (%s)', n.nspname, t.typname, d.def) || {revoke_t}, format('DROP TYPE %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_type/' || t.oid || '/0'
FROM pg_range r
JOIN pg_type t ON t.oid = r.rngtypid
JOIN pg_namespace n ON n.oid = t.typnamespace
CROSS JOIN LATERAL (SELECT concat_ws(', ', 'SUBTYPE = ' || format_type(r.rngsubtype, NULL), CASE WHEN r.rngcollation <> 0 THEN 'COLLATION = ' || r.rngcollation::regcollation::text END, CASE WHEN r.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || r.rngsubdiff::regproc::text END) AS def) d
WHERE {typ}
