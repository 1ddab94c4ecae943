CREATE TYPE order_status AS ENUM ('pending', 'shipped', 'delivered');
CREATE TYPE payment_method AS ENUM ('credit_card', 'paypal', 'bank_transfer');
CREATE TABLE customers (
  id SERIAL PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE orders (
  id SERIAL PRIMARY KEY,
  customer_id INTEGER REFERENCES customers(id),
  status order_status NOT NULL,
  payment payment_method NOT NULL
);
