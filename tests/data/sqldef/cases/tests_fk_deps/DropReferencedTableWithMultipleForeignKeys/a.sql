CREATE TABLE users (
  user_id int PRIMARY KEY,
  name VARCHAR(100)
);
CREATE TABLE sales (
  sales_id int PRIMARY KEY,
  user_id int,
  CONSTRAINT sales_user_fk FOREIGN KEY (user_id) REFERENCES users(user_id)
);
CREATE TABLE items (
  item_id int PRIMARY KEY,
  user_id int,
  CONSTRAINT items_user_fk FOREIGN KEY (user_id) REFERENCES users(user_id)
);
