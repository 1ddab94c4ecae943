CREATE TABLE test (id integer);
CREATE INDEX foo ON test (id);
CREATE TYPE foo AS ENUM ('a', 'b');
COMMENT ON INDEX foo IS 'index comment';
COMMENT ON TYPE foo IS 'updated type comment';
