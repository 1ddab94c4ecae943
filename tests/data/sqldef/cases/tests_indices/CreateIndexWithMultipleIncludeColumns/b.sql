CREATE TABLE products (
  id serial,
  sku text,
  name text,
  price numeric,
  stock int
);
CREATE INDEX idx_sku_multi_include ON products USING btree (sku) INCLUDE (name, price, stock);
