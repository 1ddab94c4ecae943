CREATE SCHEMA myschema;
CREATE TYPE myschema.item_status /* @renamed from=item_state */ AS ENUM ('active', 'inactive');
