CREATE SCHEMA test;
CREATE TABLE test.dummy (
  min_value INT CHECK (min_value > 0),
  max_value INT
);
