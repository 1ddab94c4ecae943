CREATE TABLE device_tests (
  id serial PRIMARY KEY,
  test_type text,
  permit text
);
CREATE FUNCTION check_test_type_requires_permit()
  RETURNS TRIGGER AS
$$
BEGIN
  IF NEW.test_type = 'required' AND NEW.permit IS NULL THEN
    RAISE EXCEPTION 'Permit is required for this status value';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
