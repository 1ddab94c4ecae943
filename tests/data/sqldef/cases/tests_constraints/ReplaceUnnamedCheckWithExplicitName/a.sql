CREATE TABLE explicit_check_name (
  a integer CHECK (a > 0)
);
