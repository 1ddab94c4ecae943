CREATE TABLE products (
  id integer PRIMARY KEY,
  name text,
  price numeric(10,2),
  available boolean
);
CREATE VIEW available_products AS
  SELECT id, name, price FROM products WHERE available = true;
CREATE VIEW expensive_products AS
  SELECT id, name FROM available_products WHERE price > 100;
CREATE VIEW expensive_product_ids AS
  SELECT id FROM expensive_products;
