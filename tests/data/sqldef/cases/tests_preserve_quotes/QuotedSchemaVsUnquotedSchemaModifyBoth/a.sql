CREATE SCHEMA "MySchema";
CREATE TABLE "MySchema".users (id int);
CREATE SCHEMA myschema;
CREATE TABLE myschema.users (id int);
