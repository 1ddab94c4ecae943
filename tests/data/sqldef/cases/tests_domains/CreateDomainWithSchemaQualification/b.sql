CREATE SCHEMA test_schema;
CREATE DOMAIN test_schema.my_domain AS text;
