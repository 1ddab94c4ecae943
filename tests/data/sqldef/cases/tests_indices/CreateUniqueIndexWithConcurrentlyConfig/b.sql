CREATE TABLE products (
  id BIGINT NOT NULL PRIMARY KEY,
  sku VARCHAR(100)
);
CREATE UNIQUE INDEX idx_products_sku ON products (sku);
