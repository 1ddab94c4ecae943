CREATE TABLE products (
  id serial,
  status text
);
