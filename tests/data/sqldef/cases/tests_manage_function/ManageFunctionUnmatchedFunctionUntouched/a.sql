CREATE FUNCTION app_touch() RETURNS integer AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
CREATE FUNCTION external_fn() RETURNS integer AS $$ BEGIN RETURN 2; END; $$ LANGUAGE plpgsql;
