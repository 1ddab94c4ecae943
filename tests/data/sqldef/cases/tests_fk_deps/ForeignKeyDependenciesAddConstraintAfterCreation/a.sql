CREATE TABLE orders (
  order_id int PRIMARY KEY,
  customer_id int,
  order_date DATE
);
CREATE TABLE customers (
  customer_id int PRIMARY KEY,
  name VARCHAR(100)
);
