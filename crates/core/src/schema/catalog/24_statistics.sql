SELECT 'statistics', format('%I.%I', n.nspname, s.stxname), '', pg_get_statisticsobjdef(s.oid), pg_get_statisticsobjdef(s.oid), format('DROP STATISTICS %I.%I', n.nspname, s.stxname), s.oid::int8::text, 'pg_statistic_ext/' || s.oid || '/0'
FROM pg_statistic_ext s
JOIN pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_class c ON c.oid = s.stxrelid
WHERE {rel_c}
