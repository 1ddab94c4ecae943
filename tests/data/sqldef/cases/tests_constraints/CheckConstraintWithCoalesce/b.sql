CREATE TABLE test (
  val integer,
  CHECK (COALESCE(val, 0) >= 0)
);
