CREATE TABLE pair_values (
  a integer,
  b integer,
  CHECK (a > 0 AND b > 0) NO INHERIT,
  CHECK (a > 0 AND b > 0) NO INHERIT
);
