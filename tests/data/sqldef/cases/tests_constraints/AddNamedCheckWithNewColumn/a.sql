CREATE TABLE named_new_column (
  a integer
);
