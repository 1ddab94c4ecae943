SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)), '', pg_get_functiondef(p.oid), pg_get_functiondef(p.oid) || {revoke_f}, format('DROP %s %I.%I(%s)', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), p.oid::int8::text, 'pg_proc/' || p.oid || '/0', json_build_array(n.nspname, p.proname)::text
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p', 'w') AND {proc}
