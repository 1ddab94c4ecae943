CREATE FUNCTION safe_compare(a text, b text)
  RETURNS boolean AS
$$
BEGIN
  RETURN a = b;
END;
$$ LANGUAGE plpgsql IMMUTABLE LEAKPROOF;
