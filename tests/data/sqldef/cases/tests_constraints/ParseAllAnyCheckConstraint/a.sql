CREATE TABLE test (
  n1 int,
  n2 int,
  t1 text
);
