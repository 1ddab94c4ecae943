CREATE FUNCTION add_one(x integer) RETURNS integer AS $$ BEGIN RETURN x + 2; END; $$ LANGUAGE plpgsql;
