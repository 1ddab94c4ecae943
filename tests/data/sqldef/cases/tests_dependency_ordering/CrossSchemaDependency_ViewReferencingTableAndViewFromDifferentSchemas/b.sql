CREATE SCHEMA app_data;
CREATE SCHEMA staging;
CREATE SCHEMA reports;
CREATE TABLE app_data.customers (
  id integer PRIMARY KEY,
  name text,
  tier text
);
CREATE TABLE staging.orders (
  id integer PRIMARY KEY,
  customer_id integer,
  amount numeric(10,2)
);
CREATE VIEW staging.premium_customers AS
  SELECT id, name FROM app_data.customers WHERE tier = 'premium';
CREATE VIEW reports.premium_orders AS
  SELECT o.id, c.name, o.amount
  FROM staging.orders o
  JOIN staging.premium_customers c ON o.customer_id = c.id;
