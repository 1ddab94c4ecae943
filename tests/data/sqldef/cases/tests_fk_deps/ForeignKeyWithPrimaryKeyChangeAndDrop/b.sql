CREATE TABLE users (
  user_id integer PRIMARY KEY,
  name text
);
