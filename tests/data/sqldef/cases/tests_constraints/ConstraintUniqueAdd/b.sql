CREATE TABLE products (
  id serial,
  sku text,
  UNIQUE (sku)
);
