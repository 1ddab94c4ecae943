CREATE TABLE constant_check (
  a integer
);
