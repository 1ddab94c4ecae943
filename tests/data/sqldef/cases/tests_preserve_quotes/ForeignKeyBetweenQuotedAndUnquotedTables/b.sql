CREATE TABLE "Users" ("UserId" int PRIMARY KEY);
CREATE TABLE users (id int PRIMARY KEY);
CREATE TABLE "Orders" (
  id int PRIMARY KEY,
  quoted_user_id int,
  unquoted_user_id int,
  CONSTRAINT "fk_quoted" FOREIGN KEY (quoted_user_id) REFERENCES "Users" ("UserId"),
  CONSTRAINT fk_unquoted FOREIGN KEY (unquoted_user_id) REFERENCES users (id)
);
