CREATE TABLE orders (
  id serial,
  priority integer,
  category integer
);
