CREATE FUNCTION get_random_value()
  RETURNS double precision AS
$$
BEGIN
  RETURN random();
END;
$$ LANGUAGE plpgsql VOLATILE;
