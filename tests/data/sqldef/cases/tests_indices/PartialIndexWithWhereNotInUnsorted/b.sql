CREATE TABLE orders (id integer, status text);
CREATE INDEX idx_non_cancelled ON orders (id)
WHERE status NOT IN ('deleted', 'cancelled');
