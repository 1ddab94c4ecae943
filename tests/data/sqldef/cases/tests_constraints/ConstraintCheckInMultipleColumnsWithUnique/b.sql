CREATE TABLE orders (
  id serial,
  priority integer CHECK (priority IN (1, 2, 3)),
  category integer CHECK (category IN (10, 20, 30, 40)),
  UNIQUE (priority, category)
);
