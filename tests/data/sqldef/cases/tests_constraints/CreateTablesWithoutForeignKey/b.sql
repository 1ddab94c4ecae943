CREATE TABLE users (id BIGINT PRIMARY KEY);
CREATE TABLE posts (
  content text,
  user_id bigint
);
