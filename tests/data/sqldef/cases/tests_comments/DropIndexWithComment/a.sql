CREATE TABLE hoge (id integer);
CREATE INDEX idx_hoge ON hoge (id);
COMMENT ON INDEX idx_hoge IS 'hoge index';
