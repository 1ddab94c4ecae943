CREATE FUNCTION list_items() RETURNS TABLE(id integer) AS $$ SELECT 1 $$ LANGUAGE sql;
