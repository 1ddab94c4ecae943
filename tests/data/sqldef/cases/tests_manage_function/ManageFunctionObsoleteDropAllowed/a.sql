CREATE FUNCTION app_touch() RETURNS integer AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
CREATE FUNCTION app_stale() RETURNS integer AS $$ BEGIN RETURN 9; END; $$ LANGUAGE plpgsql;
