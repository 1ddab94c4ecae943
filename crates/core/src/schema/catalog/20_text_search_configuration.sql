SELECT 'text search configuration', format('%I.%I', n.nspname, c.cfgname), '', x.def, format('CREATE TEXT SEARCH CONFIGURATION %I.%I (PARSER = %I.%I)', n.nspname, c.cfgname, pn.nspname, p.prsname) || coalesce(x.maps, ''), format('DROP TEXT SEARCH CONFIGURATION %I.%I', n.nspname, c.cfgname), c.oid::int8::text, 'pg_ts_config/' || c.oid || '/0'
FROM pg_ts_config c
JOIN pg_namespace n ON n.oid = c.cfgnamespace
JOIN pg_ts_parser p ON p.oid = c.cfgparser
JOIN pg_namespace pn ON pn.oid = p.prsnamespace
CROSS JOIN LATERAL (SELECT string_agg(format(E';\nALTER TEXT SEARCH CONFIGURATION %I.%I ADD MAPPING FOR %s WITH %s', n.nspname, c.cfgname, g.toks, g.dicts), '' ORDER BY g.toks) AS maps, format('PARSER = %I.%I', pn.nspname, p.prsname) || coalesce(E'\n' || string_agg(g.toks || ': ' || g.dicts, E'\n' ORDER BY g.toks), '') AS def
FROM (SELECT string_agg(m.tok, ', ' ORDER BY m.tok) AS toks, m.dicts
FROM (SELECT tt.alias AS tok, string_agg(format('%I.%I', dn.nspname, dd.dictname), ', ' ORDER BY mm.mapseqno) AS dicts
FROM pg_ts_config_map mm
JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = mm.maptokentype
JOIN pg_ts_dict dd ON dd.oid = mm.mapdict
JOIN pg_namespace dn ON dn.oid = dd.dictnamespace
WHERE mm.mapcfg = c.oid
GROUP BY tt.alias) m
GROUP BY m.dicts) g) x
WHERE {user_ns} AND {not_member_pg_ts_config_c}
