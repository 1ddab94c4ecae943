-- Casts between types (not those a type makes for itself, as a range
-- to its multirange, nor extensions'); their function by schema, name and argument types.
SELECT 'cast', format('%s AS %s', c.s, c.t), '', d.def, format('CREATE CAST (%s AS %s) %s', c.s, c.t, d.def), format('DROP CAST (%s AS %s)', c.s, c.t), k.oid::int8::text, 'pg_cast/' || k.oid || '/0'
FROM pg_cast k
CROSS JOIN LATERAL (SELECT format_type(k.castsource, NULL) AS s, format_type(k.casttarget, NULL) AS t) c
LEFT JOIN pg_proc f ON f.oid = k.castfunc
LEFT JOIN pg_namespace fn ON fn.oid = f.pronamespace
CROSS JOIN LATERAL (SELECT concat_ws(' ', CASE k.castmethod WHEN 'f' THEN format('WITH FUNCTION %I.%I(%s)', fn.nspname, f.proname, oidvectortypes(f.proargtypes)) WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END, CASE k.castcontext WHEN 'a' THEN 'AS ASSIGNMENT' WHEN 'i' THEN 'AS IMPLICIT' END) AS def) d
WHERE k.oid >= 16384 AND NOT EXISTS (SELECT 1
FROM pg_depend i
WHERE i.classid = 'pg_cast'::regclass AND i.objid = k.oid AND i.deptype = 'i') AND {not_member_pg_cast_k}
