CREATE SCHEMA myschema;
CREATE TYPE myschema.item_state AS ENUM ('active', 'inactive');
