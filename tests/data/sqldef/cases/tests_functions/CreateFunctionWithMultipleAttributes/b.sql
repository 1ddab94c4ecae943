CREATE FUNCTION compute_hash(val text)
  RETURNS text AS
$$
BEGIN
  RETURN md5(val);
END;
$$ LANGUAGE plpgsql
   IMMUTABLE
   STRICT
   PARALLEL SAFE
   COST 10;
