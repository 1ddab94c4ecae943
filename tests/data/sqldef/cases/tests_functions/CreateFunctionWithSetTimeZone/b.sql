CREATE FUNCTION get_utc_time()
  RETURNS timestamp with time zone AS
$$
BEGIN
  RETURN NOW();
END;
$$ LANGUAGE plpgsql SET timezone = 'UTC';
