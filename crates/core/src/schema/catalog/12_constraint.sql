-- Constraints of tables (those a partition or a child inherits come
-- with it).
SELECT 'constraint', format('%I.%I.%I', n.nspname, c.relname, k.conname), format('%I.%I', n.nspname, c.relname), x.def, format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, c.relname, k.conname, x.def), format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, c.relname, k.conname), (CASE k.contype WHEN 'f' THEN 2 ELSE 1 END * 10000000000 + k.oid::int8)::text, 'pg_constraint/' || k.oid || '/0', json_build_array(n.nspname, c.relname, k.conname)::text
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT pg_get_constraintdef(k.oid) AS def) x
WHERE k.contype IN ('p', 'u', 'c', 'f', 'x') AND k.conparentid = 0 AND k.conislocal AND {rel_c}
