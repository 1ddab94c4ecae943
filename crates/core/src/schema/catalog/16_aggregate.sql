SELECT 'aggregate', format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)), '', d.def, format('CREATE AGGREGATE %I.%I(%s) (%s)', n.nspname, p.proname, CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END, d.def) || {revoke_f}, format('DROP AGGREGATE %I.%I(%s)', n.nspname, p.proname, CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END), p.oid::int8::text, 'pg_proc/' || p.oid || '/0', json_build_array(n.nspname, p.proname)::text
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_aggregate g ON g.aggfnoid = p.oid
CROSS JOIN LATERAL (SELECT concat_ws(', ', 'SFUNC = ' || g.aggtransfn::regproc::text, 'STYPE = ' || format_type(g.aggtranstype, NULL), CASE WHEN g.aggfinalfn <> 0 THEN 'FINALFUNC = ' || g.aggfinalfn::regproc::text END, CASE WHEN g.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || g.aggcombinefn::regproc::text END, 'INITCOND = ' || quote_literal(g.agginitval), CASE WHEN g.aggsortop <> 0 THEN 'SORTOP = ' || g.aggsortop::regoperator::text END) AS def) d
WHERE p.prokind = 'a' AND {proc}
