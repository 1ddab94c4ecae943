CREATE TABLE orders (customer_id int, order_date date, amount int);
