CREATE SCHEMA myschema;
CREATE TYPE myschema.item_status AS ENUM ('active', 'inactive');
CREATE TABLE items (
  id bigint NOT NULL PRIMARY KEY,
  status myschema.item_status NOT NULL
);
