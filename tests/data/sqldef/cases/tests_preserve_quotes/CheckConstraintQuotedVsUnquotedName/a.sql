CREATE TABLE products (
  id int,
  price int CONSTRAINT "Price_Check" CHECK (price > 0)
);
