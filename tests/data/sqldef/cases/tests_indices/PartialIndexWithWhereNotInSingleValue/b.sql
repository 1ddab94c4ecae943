CREATE TABLE orders (id integer, status text);
CREATE INDEX idx_orders_not_pending ON orders (id)
WHERE status NOT IN ('pending');
