CREATE SCHEMA test;
CREATE TABLE test.users (id serial primary key);
