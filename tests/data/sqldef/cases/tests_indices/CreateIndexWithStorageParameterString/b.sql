CREATE TABLE test_table (
  id serial,
  data text
);
CREATE INDEX idx_data ON test_table USING hash (data) WITH (fillfactor='70');
