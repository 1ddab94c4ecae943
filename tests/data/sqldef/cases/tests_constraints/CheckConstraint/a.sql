CREATE TABLE test (
  n1 integer,
  n2 integer,
  n3 integer,
  t1 text,
  t2 text,
  t3 text,
  t4 varchar(10),
  d1 date,
  d2 date
);
