SELECT 'sequence owner', format('%I.%I', n.nspname, c.relname), format('%I.%I', tn.nspname, tc.relname), format('%I.%I.%I', tn.nspname, tc.relname, a.attname), format('ALTER SEQUENCE %I.%I OWNED BY %I.%I.%I', n.nspname, c.relname, tn.nspname, tc.relname, a.attname), format('ALTER SEQUENCE %I.%I OWNED BY NONE', n.nspname, c.relname), c.oid::int8::text, ''
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_depend o ON o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'a'
JOIN pg_class tc ON tc.oid = o.refobjid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = o.refobjsubid
WHERE c.relkind = 'S' AND {rel_c}
