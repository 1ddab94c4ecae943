CREATE TABLE test ();
