-- Operators, as CREATE OPERATOR takes them; their function by name
-- and schema (regproc prints an OID for an overloaded name).
SELECT 'operator', format('%I.%s(%s, %s)', n.nspname, o.oprname, g.l, g.r), '', d.def, format('CREATE OPERATOR %I.%s (%s)', n.nspname, o.oprname, d.def), format('DROP OPERATOR %I.%s (%s, %s)', n.nspname, o.oprname, g.l, g.r), o.oid::int8::text, 'pg_operator/' || o.oid || '/0'
FROM pg_operator o
JOIN pg_namespace n ON n.oid = o.oprnamespace
JOIN pg_proc f ON f.oid = o.oprcode
JOIN pg_namespace fn ON fn.oid = f.pronamespace
CROSS JOIN LATERAL (SELECT coalesce(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE') AS l, coalesce(format_type(NULLIF(o.oprright, 0), NULL), 'NONE') AS r) g
CROSS JOIN LATERAL (SELECT concat_ws(', ', format('FUNCTION = %I.%I', fn.nspname, f.proname), 'LEFTARG = ' || format_type(NULLIF(o.oprleft, 0), NULL), 'RIGHTARG = ' || format_type(NULLIF(o.oprright, 0), NULL), (SELECT format('COMMUTATOR = OPERATOR(%I.%s)', cn.nspname, c.oprname)
FROM pg_operator c
JOIN pg_namespace cn ON cn.oid = c.oprnamespace
WHERE c.oid = o.oprcom), (SELECT format('NEGATOR = OPERATOR(%I.%s)', cn.nspname, c.oprname)
FROM pg_operator c
JOIN pg_namespace cn ON cn.oid = c.oprnamespace
WHERE c.oid = o.oprnegate), CASE WHEN o.oprrest <> 0 THEN 'RESTRICT = ' || o.oprrest::regproc::text END, CASE WHEN o.oprjoin <> 0 THEN 'JOIN = ' || o.oprjoin::regproc::text END, CASE WHEN o.oprcanhash THEN 'HASHES' END, CASE WHEN o.oprcanmerge THEN 'MERGES' END) AS def) d
WHERE {user_ns} AND {not_member_pg_operator_o}
