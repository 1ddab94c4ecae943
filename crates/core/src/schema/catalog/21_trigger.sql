-- Triggers (not internal ones, nor a partition's clone), rules, policies.
SELECT 'trigger', format('%I.%I.%I', n.nspname, c.relname, t.tgname), format('%I.%I', n.nspname, c.relname), pg_get_triggerdef(t.oid), pg_get_triggerdef(t.oid), format('DROP TRIGGER %I ON %I.%I', t.tgname, n.nspname, c.relname), t.oid::int8::text, 'pg_trigger/' || t.oid || '/0'
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND {rel_c}
