CREATE TABLE test (name text, code text);
CREATE INDEX idx_multi_opclass ON test (name text_pattern_ops, code varchar_pattern_ops);
