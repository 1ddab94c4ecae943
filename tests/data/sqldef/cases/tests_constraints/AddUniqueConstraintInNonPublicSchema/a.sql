CREATE SCHEMA test;
CREATE TABLE test.dummy (a int, b int);
