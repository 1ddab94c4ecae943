CREATE TABLE test.dummy (a int, b int);
ALTER TABLE test.dummy ADD CONSTRAINT a_b_uniq UNIQUE (a, b);
