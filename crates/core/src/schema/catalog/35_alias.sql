SELECT 'alias', 'pg_rewrite/' || r.oid || '/0', 'pg_class/' || r.ev_class || '/0', '', '', '', '0', ''
FROM pg_rewrite r
WHERE r.oid >= 16384 AND r.rulename = '_RETURN'
UNION ALL SELECT 'alias', 'pg_attrdef/' || a.oid || '/0', 'pg_class/' || a.adrelid || '/' || a.adnum, '', '', '', '0', ''
FROM pg_attrdef a
WHERE a.oid >= 16384
UNION ALL SELECT 'alias', 'pg_type/' || t.oid || '/0', CASE WHEN t.typrelid <> 0 THEN 'pg_class/' || t.typrelid ELSE 'pg_type/' || t.typelem END || '/0', '', '', '', '0', ''
FROM pg_type t
WHERE t.oid >= 16384 AND (t.typrelid <> 0 OR (t.typcategory = 'A' AND t.typelem <> 0))
UNION ALL SELECT 'alias', 'pg_constraint/' || k.oid || '/0', 'pg_type/' || k.contypid || '/0', '', '', '', '0', ''
FROM pg_constraint k
WHERE k.oid >= 16384 AND k.contypid <> 0
UNION ALL SELECT 'alias', 'pg_class/' || k.conindid || '/0', 'pg_constraint/' || k.oid || '/0', '', '', '', '0', ''
FROM pg_constraint k
JOIN pg_index i ON i.indexrelid = k.conindid AND i.indrelid = k.conrelid
WHERE k.oid >= 16384 AND k.contype IN ('p', 'u', 'x')
UNION ALL SELECT 'alias', 'pg_publication_rel/' || r.oid || '/0', 'pg_publication/' || r.prpubid || '/0', '', '', '', '0', ''
FROM pg_publication_rel r
UNION ALL SELECT 'alias', 'pg_publication_namespace/' || r.oid || '/0', 'pg_publication/' || r.pnpubid || '/0', '', '', '', '0', ''
FROM pg_publication_namespace r
UNION ALL SELECT 'alias', e.classid::regclass::text || '/' || e.objid || '/' || e.objsubid, 'pg_extension/' || e.refobjid || '/0', '', '', '', '0', ''
FROM pg_depend e
WHERE e.deptype = 'e' AND e.objid >= 16384
