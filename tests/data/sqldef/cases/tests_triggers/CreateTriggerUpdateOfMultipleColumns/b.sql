CREATE TABLE addresses (
  id serial PRIMARY KEY,
  street1 varchar,
  street2 varchar
);
CREATE FUNCTION addresses_update_check()
  RETURNS TRIGGER AS
$$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER addresses_update_trigger
  BEFORE UPDATE OF street1, street2 ON addresses
  FOR EACH ROW EXECUTE FUNCTION addresses_update_check();
