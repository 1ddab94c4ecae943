CREATE SCHEMA "MySchema";
CREATE TABLE "MySchema".test (id int);
CREATE SCHEMA myschema;
CREATE TABLE myschema.test (name text);
