CREATE TABLE test (
  id int,
  num1 numeric(10),
  num2 numeric(15, 4),
  price1 decimal(12),
  price2 decimal(20, 6)
);
