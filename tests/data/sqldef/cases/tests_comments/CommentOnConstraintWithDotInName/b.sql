CREATE TABLE test (
  id integer,
  CONSTRAINT "my.constraint" CHECK (id > 0)
);
COMMENT ON CONSTRAINT "my.constraint" ON test IS 'Constraint with dot in name';
