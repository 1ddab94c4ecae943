CREATE FUNCTION normal_function()
  RETURNS void AS
$$
BEGIN
  -- runs with caller privileges
END;
$$ LANGUAGE plpgsql SECURITY INVOKER;
