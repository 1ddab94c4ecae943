CREATE TABLE "Categories" ("CategoryId" int PRIMARY KEY);
CREATE TABLE categories (id int PRIMARY KEY);
CREATE TABLE products (
  id int PRIMARY KEY,
  quoted_cat_id int,
  unquoted_cat_id int
);
