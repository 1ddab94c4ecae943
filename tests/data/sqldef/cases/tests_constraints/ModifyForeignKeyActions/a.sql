CREATE TABLE users (id BIGINT PRIMARY KEY);
CREATE TABLE posts (
  content text,
  user_id bigint,
  CONSTRAINT posts_ibfk_1 FOREIGN KEY (user_id) REFERENCES users (id)
);
