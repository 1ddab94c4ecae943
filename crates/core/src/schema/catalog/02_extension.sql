SELECT 'extension', format('%I', e.extname), '', format('schema %I, version %s%s', n.nspname, e.extversion, CASE WHEN NOT e.extrelocatable THEN ', fixed schema' ELSE '' END), format('CREATE EXTENSION IF NOT EXISTS %I WITH SCHEMA %I VERSION %L', e.extname, n.nspname, e.extversion), format('DROP EXTENSION %I', e.extname), e.oid::int8::text, 'pg_extension/' || e.oid || '/0', json_build_array(n.nspname, e.extname)::text
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
