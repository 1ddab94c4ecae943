CREATE TABLE products (
  id int PRIMARY KEY,
  category_id int CHECK (category_id > 0)
);
