CREATE FUNCTION admin_operation()
  RETURNS void AS
$$
BEGIN
  -- secure admin operation
END;
$$ LANGUAGE plpgsql
   SECURITY DEFINER
   STABLE
   SET search_path = admin, pg_temp;
