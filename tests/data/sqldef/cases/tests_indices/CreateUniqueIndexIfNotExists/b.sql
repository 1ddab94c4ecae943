CREATE TABLE users (
  user_id uuid PRIMARY KEY,
  email text
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email ON users (email);
