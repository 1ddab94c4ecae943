CREATE TABLE orders (id integer, status text, amount numeric, created_at timestamp);
CREATE INDEX idx_recent_large_orders ON orders (status)
WHERE amount > 1000 AND created_at > '2024-01-01 00:00:00'::timestamp;
