CREATE TABLE users (
  id INT PRIMARY KEY
);
CREATE TABLE posts (
  content TEXT,
  user_id INT
);
