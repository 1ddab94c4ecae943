CREATE TABLE products (
  id serial,
  level integer
);
