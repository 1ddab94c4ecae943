CREATE TABLE device_tests (
  id serial PRIMARY KEY
);
CREATE FUNCTION check_trigger()
  RETURNS TRIGGER AS
$$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER enforce_required_permit
  BEFORE INSERT OR UPDATE ON device_tests
  FOR EACH ROW EXECUTE FUNCTION check_trigger();
