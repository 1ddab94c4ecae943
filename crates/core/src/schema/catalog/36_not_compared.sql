-- Kinds not modelled: counted, so that they are never taken as equal.
SELECT 'not compared', k, '', n::text, '', '', '0', ''
FROM (VALUES ('event triggers', (SELECT count(*)
FROM pg_event_trigger t
WHERE {not_member_pg_event_trigger_t})), ('foreign tables', (SELECT count(*)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'f' AND {rel_c})), ('foreign servers', (SELECT count(*)
FROM pg_foreign_server s
WHERE {not_member_pg_foreign_server_s})), ('operator classes', (SELECT count(*)
FROM pg_opclass o
JOIN pg_namespace n ON n.oid = o.opcnamespace
WHERE {user_ns} AND {not_member_pg_opclass_o})), ('procedural languages', (SELECT count(*)
FROM pg_language l
WHERE l.oid >= 16384 AND {not_member_pg_language_l})), ('conversions', (SELECT count(*)
FROM pg_conversion v
JOIN pg_namespace n ON n.oid = v.connamespace
WHERE {user_ns} AND {not_member_pg_conversion_v}))) v(k, n)
WHERE n > 0
