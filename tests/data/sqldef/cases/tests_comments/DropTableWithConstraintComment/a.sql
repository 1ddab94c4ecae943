CREATE TABLE test (
  id integer,
  CONSTRAINT test_check CHECK (id > 0)
);
COMMENT ON CONSTRAINT test_check ON test IS 'Check constraint comment';
