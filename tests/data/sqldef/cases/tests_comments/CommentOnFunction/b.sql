CREATE FUNCTION test_func() RETURNS void AS $$ BEGIN END; $$ LANGUAGE plpgsql;
COMMENT ON FUNCTION test_func() IS 'This is a test function';
