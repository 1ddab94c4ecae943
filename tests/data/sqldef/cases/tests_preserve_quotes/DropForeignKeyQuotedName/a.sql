CREATE TABLE users (id int PRIMARY KEY);
CREATE TABLE orders (
  id int PRIMARY KEY,
  user_id int,
  CONSTRAINT "FK_Orders_Users" FOREIGN KEY (user_id) REFERENCES users (id)
);
