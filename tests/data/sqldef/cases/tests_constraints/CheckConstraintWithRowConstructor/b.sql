CREATE TABLE test (
  a integer,
  b integer,
  CONSTRAINT test_check CHECK ((a, b) > (0, 0))
);
