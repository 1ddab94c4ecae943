CREATE TABLE users (id int PRIMARY KEY);
CREATE TABLE orders (
  id int PRIMARY KEY,
  user_id int,
  CONSTRAINT "FK_User" FOREIGN KEY (user_id) REFERENCES users (id)
);
