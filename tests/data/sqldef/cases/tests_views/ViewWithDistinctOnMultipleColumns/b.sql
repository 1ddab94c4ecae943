CREATE TABLE orders (customer_id int, order_date date, amount int);
CREATE VIEW latest_orders AS
SELECT DISTINCT ON (customer_id, order_date) customer_id, order_date, amount
FROM orders;
