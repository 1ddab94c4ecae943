CREATE TABLE moved_check (
  a integer,
  b integer CHECK (a > 0)
);
