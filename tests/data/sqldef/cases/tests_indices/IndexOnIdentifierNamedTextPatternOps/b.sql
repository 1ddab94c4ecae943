CREATE TABLE text_pattern_ops (text_pattern_ops TEXT);
CREATE INDEX idx_tpo ON text_pattern_ops USING btree (text_pattern_ops text_pattern_ops);
