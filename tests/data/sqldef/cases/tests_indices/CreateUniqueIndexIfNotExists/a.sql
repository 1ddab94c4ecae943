CREATE TABLE users (
  user_id uuid PRIMARY KEY,
  email text
);
