SELECT 'policy', format('%I.%I.%I', n.nspname, c.relname, p.polname), format('%I.%I', n.nspname, c.relname), d.def, format('CREATE POLICY %I ON %I.%I %s', p.polname, n.nspname, c.relname, d.def), format('DROP POLICY %I ON %I.%I', p.polname, n.nspname, c.relname), p.oid::int8::text, 'pg_policy/' || p.oid || '/0'
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT concat_ws(' ', 'AS ' || CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END, 'FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, 'TO ' || (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(r::regrole::text) END, ', ' ORDER BY 1)
FROM unnest(p.polroles) r), 'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', 'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')') AS def) d
WHERE {rel_c}
