CREATE TABLE products (
  a integer,
  b integer,
  CONSTRAINT products_a_b_key UNIQUE NULLS NOT DISTINCT (a, b)
);
