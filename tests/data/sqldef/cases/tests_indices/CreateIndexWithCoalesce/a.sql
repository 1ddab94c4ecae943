CREATE TABLE users (
  name TEXT,
  user_name TEXT
);
