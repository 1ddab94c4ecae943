CREATE TABLE orders (id integer, status character varying(16));
CREATE UNIQUE INDEX uk_orders_status ON orders (id)
WHERE ((status)::text = ANY ((ARRAY['active'::character varying, 'pending'::character varying])::text[]));
