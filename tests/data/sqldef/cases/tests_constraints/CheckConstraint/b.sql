CREATE TABLE test (
  n1 integer CHECK (n1 = 0 or not n1 > 10 and n1 IS NOT NULL),
  n2 integer CONSTRAINT chk CHECK (n2 > 0),
  n3 integer CHECK (n3 > 0) NO INHERIT,
  t1 text CHECK (t1 like 'x'),
  t2 text CHECK (t2 not like 'x'),
  t3 text CHECK (t3 <> ''::text),
  t4 varchar(10) CHECK (t4::text ~ '[0-9]'),
  d1 date CHECK (d1 >= '2022-01-01'::date),
  d2 date CHECK (d2 >= date '2022-01-01')
);
