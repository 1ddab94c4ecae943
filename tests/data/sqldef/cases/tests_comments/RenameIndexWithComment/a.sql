CREATE TABLE test (id integer);
CREATE INDEX old_idx ON test (id);
COMMENT ON INDEX old_idx IS 'Old index';
