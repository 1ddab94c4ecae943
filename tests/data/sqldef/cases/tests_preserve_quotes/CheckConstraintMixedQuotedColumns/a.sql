CREATE TABLE orders (
  id int,
  min_price int,
  max_price int
);
