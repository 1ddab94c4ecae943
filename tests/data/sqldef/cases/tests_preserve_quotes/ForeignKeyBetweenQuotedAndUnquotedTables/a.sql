CREATE TABLE "Users" ("UserId" int PRIMARY KEY);
CREATE TABLE users (id int PRIMARY KEY);
CREATE TABLE "Orders" (id int PRIMARY KEY, quoted_user_id int, unquoted_user_id int);
