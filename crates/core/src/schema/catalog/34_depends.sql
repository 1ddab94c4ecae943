-- What depends on what: PostgreSQL's own graph, as it is (each end
-- `class/oid/sub`), and the aliases that turn an end into the address
-- of an object above (a view's rule is the view, a column default its
-- column, a table's row type the table, an array type its element, a
-- domain's constraint the domain, a constraint's index the
-- constraint, an extension's member its extension): joined in the
-- client, where it is a hash lookup. Not an owned sequence's link to
-- its column (OWNED BY is a step of its own), nor internal links.
SELECT 'depends', d.classid::regclass::text || '/' || d.objid || '/' || d.objsubid, d.refclassid::regclass::text || '/' || d.refobjid || '/' || d.refobjsubid, '', '', '', '0', ''
FROM pg_depend d
WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= 16384 AND NOT (d.deptype = 'a' AND d.classid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.objid IN (SELECT q.oid
FROM pg_class q
WHERE q.relkind = 'S'))
