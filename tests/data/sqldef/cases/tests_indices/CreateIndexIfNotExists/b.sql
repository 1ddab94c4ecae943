CREATE TABLE users (
  user_id uuid PRIMARY KEY,
  name text
);
CREATE INDEX IF NOT EXISTS idx_users_name ON users (name);
