-- Column privileges (explicit only: a column has none by default).
SELECT 'grant', format('column %s.%I to %s', x.target, x.attname, g.grantee), format('%s.%I', x.target, x.attname), string_agg(g.privilege_type || CASE WHEN g.is_grantable THEN ' (grantable)' ELSE '' END, ', ' ORDER BY g.privilege_type), concat_ws(E';\n', CASE WHEN bool_or(NOT g.is_grantable) THEN format('GRANT %s ON TABLE %s TO %s', string_agg(format('%s (%I)', g.privilege_type, x.attname), ', ' ORDER BY g.privilege_type) FILTER (WHERE NOT g.is_grantable), x.target, g.grantee) END, CASE WHEN bool_or(g.is_grantable) THEN format('GRANT %s ON TABLE %s TO %s WITH GRANT OPTION', string_agg(format('%s (%I)', g.privilege_type, x.attname), ', ' ORDER BY g.privilege_type) FILTER (WHERE g.is_grantable), x.target, g.grantee) END), format('REVOKE ALL (%I) ON TABLE %s FROM %s', x.attname, x.target, g.grantee), '0', ''
FROM (SELECT c.relowner, format('%I.%I', n.nspname, c.relname) AS target, a.attname, a.attacl
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND {rel_c}) x
CROSS JOIN LATERAL (SELECT CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE e.grantee::regrole::text END AS grantee, e.privilege_type, e.is_grantable
FROM aclexplode(x.attacl) e
WHERE e.grantee <> x.relowner) g
GROUP BY x.target, x.attname, g.grantee
