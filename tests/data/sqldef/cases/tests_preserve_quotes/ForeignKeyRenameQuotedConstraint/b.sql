CREATE TABLE users (id int PRIMARY KEY);
CREATE TABLE orders (
  id int PRIMARY KEY,
  user_id int,
  CONSTRAINT "FK_New_Name" FOREIGN KEY (user_id) REFERENCES users (id)
);
