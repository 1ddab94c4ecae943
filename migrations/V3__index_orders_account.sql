-- neonops:no-transaction
-- Built concurrently so that a live orders table is never locked against writes.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_account_id_idx ON orders (account_id);
