CREATE TABLE moved_check (
  a integer CHECK (a > 0)
);
