-- Schemas and extensions.
SELECT 'schema', format('%I', n.nspname), '', '', format('CREATE SCHEMA %I', n.nspname), format('DROP SCHEMA %I', n.nspname), n.oid::int8::text, 'pg_namespace/' || n.oid || '/0', json_build_array(n.nspname)::text
FROM pg_namespace n
WHERE {user_ns} AND {not_member_pg_namespace_n}
