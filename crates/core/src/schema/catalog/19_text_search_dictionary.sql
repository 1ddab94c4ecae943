-- Text search dictionaries and configurations (their mappings grouped
-- by the dictionaries a token goes through).
SELECT 'text search dictionary', format('%I.%I', n.nspname, d.dictname), '', x.def, format('CREATE TEXT SEARCH DICTIONARY %I.%I (%s)', n.nspname, d.dictname, x.def), format('DROP TEXT SEARCH DICTIONARY %I.%I', n.nspname, d.dictname), d.oid::int8::text, 'pg_ts_dict/' || d.oid || '/0'
FROM pg_ts_dict d
JOIN pg_namespace n ON n.oid = d.dictnamespace
JOIN pg_ts_template t ON t.oid = d.dicttemplate
JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
CROSS JOIN LATERAL (SELECT concat_ws(', ', format('TEMPLATE = %I.%I', tn.nspname, t.tmplname), d.dictinitoption) AS def) x
WHERE {user_ns} AND {not_member_pg_ts_dict_d}
