CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE posts (
  id bigint PRIMARY KEY,
  user_id bigint
);
