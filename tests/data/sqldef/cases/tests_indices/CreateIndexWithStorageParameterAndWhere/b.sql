CREATE TABLE test_table (
  id serial,
  status text
);
CREATE INDEX idx_status ON test_table USING btree (status) WITH (fillfactor='70') WHERE status = 'active';
