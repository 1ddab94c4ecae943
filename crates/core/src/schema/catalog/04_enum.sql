SELECT 'enum', format('%I.%I', n.nspname, t.typname), '', string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder), format('CREATE TYPE %I.%I AS ENUM (%s)', n.nspname, t.typname, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)) || {revoke_t}, format('DROP TYPE %I.%I', n.nspname, t.typname), t.oid::int8::text, 'pg_type/' || t.oid || '/0', json_build_array(n.nspname, t.typname)::text
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE {typ}
GROUP BY n.nspname, t.typname, t.oid, t.typacl, t.typowner
