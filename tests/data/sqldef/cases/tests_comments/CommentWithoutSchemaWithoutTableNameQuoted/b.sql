CREATE TABLE users (
  id bigint,
  "update" boolean
);
COMMENT ON TABLE users IS 'users table is updated';
COMMENT ON COLUMN users.id IS 'users.id column is updated';
COMMENT ON COLUMN users."update" IS '"users."update" column is updated';
