CREATE TABLE products (
  id int,
  price int CONSTRAINT "Positive_Price" CHECK (price > 0)
);
