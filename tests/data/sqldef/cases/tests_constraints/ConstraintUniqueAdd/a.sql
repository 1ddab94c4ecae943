CREATE TABLE products (
  id serial,
  sku text
);
