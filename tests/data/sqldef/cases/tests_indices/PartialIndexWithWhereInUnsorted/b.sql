CREATE TABLE orders (id integer, status text);
CREATE UNIQUE INDEX uk_orders_status ON orders (id)
WHERE status IN ('pending', 'active');
