CREATE SCHEMA schema1;
CREATE SCHEMA schema2;
CREATE TYPE schema1.lang AS ENUM (
  'ja',
  'en'
);
CREATE TYPE schema2.lang AS ENUM (
  'ja',
  'en'
);
