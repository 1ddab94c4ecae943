CREATE FUNCTION get_users()
RETURNS TABLE(id integer, name text) AS $$
BEGIN
  RETURN QUERY SELECT 1, 'test'::text;
END;
$$ LANGUAGE plpgsql;
