CREATE TABLE test (id integer);
CREATE VIEW test_view AS SELECT id FROM test;
