-- Default privileges; the role running neonops is written CURRENT_USER
-- (the scratch database is built by another role than production's).
SELECT 'default privileges', format('for %s%s on %s to %s', g.role, replace(g.schema, ' IN SCHEMA ', ' in schema '), g.objects, g.grantee), '', g.privs, format('ALTER DEFAULT PRIVILEGES FOR ROLE %s%s GRANT %s ON %s TO %s', g.role, g.schema, g.privs, g.objects, g.grantee), format('ALTER DEFAULT PRIVILEGES FOR ROLE %s%s REVOKE ALL ON %s FROM %s', g.role, g.schema, g.objects, g.grantee), '0', '', json_build_array(g.role, g.nsp, g.objects, g.grantee)::text
FROM (SELECT CASE WHEN d.defaclrole = current_user::regrole THEN 'CURRENT_USER' ELSE d.defaclrole::regrole::text END AS role, CASE WHEN d.defaclnamespace <> 0 THEN ' IN SCHEMA ' || d.defaclnamespace::regnamespace::text ELSE '' END AS schema, coalesce((SELECT dn.nspname::text
FROM pg_namespace dn
WHERE dn.oid = d.defaclnamespace), '') AS nsp, CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS objects, CASE WHEN a.grantee = 0 THEN 'PUBLIC' WHEN a.grantee = current_user::regrole THEN 'CURRENT_USER' ELSE a.grantee::regrole::text END AS grantee, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS privs
FROM pg_default_acl d
CROSS JOIN LATERAL aclexplode(d.defaclacl) a
GROUP BY 1, 2, 3, 4, 5) g
