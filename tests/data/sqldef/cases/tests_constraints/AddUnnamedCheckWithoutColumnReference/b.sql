CREATE TABLE constant_check (
  a integer,
  CHECK (1 > 0)
);
