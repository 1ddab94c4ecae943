SELECT 'rule', format('%I.%I.%I', n.nspname, c.relname, r.rulename), format('%I.%I', n.nspname, c.relname), pg_get_ruledef(r.oid), rtrim(pg_get_ruledef(r.oid), ';'), format('DROP RULE %I ON %I.%I', r.rulename, n.nspname, c.relname), r.oid::int8::text, 'pg_rewrite/' || r.oid || '/0'
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN' AND {rel_c}
