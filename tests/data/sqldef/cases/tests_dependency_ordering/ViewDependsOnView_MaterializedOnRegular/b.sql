CREATE TABLE sales (
  id integer PRIMARY KEY,
  amount numeric(10,2),
  sale_date date
);
CREATE VIEW daily_sales AS
  SELECT sale_date, SUM(amount) as total
  FROM sales
  GROUP BY sale_date;
CREATE MATERIALIZED VIEW monthly_sales AS
  SELECT DATE_TRUNC('month', sale_date) as month, SUM(total) as monthly_total
  FROM daily_sales
  GROUP BY DATE_TRUNC('month', sale_date);
