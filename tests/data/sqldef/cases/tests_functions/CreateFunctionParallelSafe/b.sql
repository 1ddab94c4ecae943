CREATE FUNCTION safe_parallel(val integer)
  RETURNS integer AS
$$
BEGIN
  RETURN val * 2;
END;
$$ LANGUAGE plpgsql PARALLEL SAFE;
