CREATE TABLE users (
  id serial PRIMARY KEY,
  name text
);
CREATE FUNCTION trigger_func()
  RETURNS TRIGGER AS
$$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER log_changes
  AFTER UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION trigger_func();
