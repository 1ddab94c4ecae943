CREATE FUNCTION triple_value(val integer)
  RETURNS integer AS
$$
BEGIN
  RETURN val * 3;
END;
$$ LANGUAGE plpgsql STRICT;
