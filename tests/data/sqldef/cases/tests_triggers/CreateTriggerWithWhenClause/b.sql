CREATE TABLE users (
  id serial PRIMARY KEY,
  name text,
  updated_at timestamp
);
CREATE FUNCTION log_update()
  RETURNS TRIGGER AS
$$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER log_name_change
  AFTER UPDATE ON users
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION log_update();
