CREATE TABLE products (
  id int,
  price int CONSTRAINT "PriceMustBePositive" CHECK (price > 0)
);
