CREATE TABLE orders (
  id UUID NOT NULL PRIMARY KEY,
  order_number VARCHAR(255) NOT NULL,
  customer VARCHAR(255),
  store_table VARCHAR(255)
);
