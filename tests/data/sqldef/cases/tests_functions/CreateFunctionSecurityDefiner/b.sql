CREATE FUNCTION secure_function()
  RETURNS void AS
$$
BEGIN
  -- runs with owner privileges
END;
$$ LANGUAGE plpgsql SECURITY DEFINER;
