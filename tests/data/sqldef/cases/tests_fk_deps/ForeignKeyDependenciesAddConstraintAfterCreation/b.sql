CREATE TABLE customers (
  customer_id int PRIMARY KEY,
  name VARCHAR(100)
);
CREATE TABLE orders (
  order_id int PRIMARY KEY,
  customer_id int,
  order_date DATE,
  CONSTRAINT order_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (customer_id)
);
