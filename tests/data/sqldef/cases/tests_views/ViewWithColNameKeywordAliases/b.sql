CREATE TABLE test_data (id integer);
CREATE VIEW keyword_aliases AS
SELECT
  1 AS value,
  2 AS key,
  3 AS date,
  4 AS time,
  5 AS timestamp
FROM test_data;
