CREATE TABLE users (
  id serial PRIMARY KEY,
  name text
);
CREATE FUNCTION before_insert_func()
  RETURNS TRIGGER AS
$$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION after_insert_func()
  RETURNS TRIGGER AS
$$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER before_insert_trigger
  BEFORE INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION before_insert_func();
CREATE TRIGGER after_insert_trigger
  AFTER INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION after_insert_func();
