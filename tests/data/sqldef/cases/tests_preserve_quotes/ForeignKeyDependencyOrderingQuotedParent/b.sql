CREATE TABLE orders (
  id int PRIMARY KEY,
  user_id int,
  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES "Users" (id)
);
CREATE TABLE "Users" (id int PRIMARY KEY);
