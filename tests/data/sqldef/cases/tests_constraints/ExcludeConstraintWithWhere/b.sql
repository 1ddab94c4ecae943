CREATE TABLE exclude_example (
  name varchar(255),
  CONSTRAINT ex1 EXCLUDE USING btree (name WITH =) WHERE (name IS NOT NULL)
);
