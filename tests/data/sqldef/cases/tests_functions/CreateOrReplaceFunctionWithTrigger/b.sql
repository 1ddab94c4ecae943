CREATE TABLE device_tests (
  id serial PRIMARY KEY,
  test_type text,
  permit text
);
CREATE OR REPLACE FUNCTION check_test_type_requires_permit()
  RETURNS TRIGGER AS
$$
BEGIN
  IF NEW.test_type = 'required' AND NEW.permit IS NULL THEN
    RAISE EXCEPTION 'Permit is required for this status value';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER enforce_required_permit
  BEFORE INSERT OR UPDATE ON device_tests
  FOR EACH ROW EXECUTE FUNCTION check_test_type_requires_permit();
