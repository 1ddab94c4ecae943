CREATE TABLE products (name TEXT);
CREATE UNIQUE INDEX idx_u_lower_name ON products USING btree (lower(name) text_pattern_ops);
