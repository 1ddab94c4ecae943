CREATE TABLE test_table (
  id serial,
  "date" date
);
CREATE INDEX idx_date ON test_table USING btree (date);
