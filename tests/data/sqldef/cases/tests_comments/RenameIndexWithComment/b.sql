CREATE TABLE test (id integer);
CREATE INDEX new_idx /* @renamed from=old_idx */ ON test (id);
COMMENT ON INDEX new_idx IS 'New index';
