CREATE TABLE named_new_column (
  a integer,
  b integer CONSTRAINT b_positive CHECK (b > 0)
);
