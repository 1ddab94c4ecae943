CREATE TABLE products (
  name VARCHAR(255)
);
CREATE INDEX product_name_autocomplete_index ON products(name text_pattern_ops);
