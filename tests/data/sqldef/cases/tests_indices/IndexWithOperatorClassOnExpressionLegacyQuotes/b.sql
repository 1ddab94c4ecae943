CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE products (notes JSONB);
CREATE INDEX idx_trgm_notes ON products USING gin (((notes ->> 'text'::text)) gin_trgm_ops);
