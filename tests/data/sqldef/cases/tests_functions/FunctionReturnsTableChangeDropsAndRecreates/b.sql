CREATE FUNCTION list_items() RETURNS TABLE(id integer, label text) AS $$ SELECT 1, 'a'::text $$ LANGUAGE sql;
