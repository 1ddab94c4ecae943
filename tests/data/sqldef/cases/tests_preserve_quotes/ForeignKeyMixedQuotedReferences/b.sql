CREATE TABLE "Categories" ("CategoryId" int PRIMARY KEY);
CREATE TABLE categories (id int PRIMARY KEY);
CREATE TABLE products (
  id int PRIMARY KEY,
  quoted_cat_id int,
  unquoted_cat_id int,
  CONSTRAINT "fk_QuotedCat" FOREIGN KEY (quoted_cat_id) REFERENCES "Categories" ("CategoryId"),
  CONSTRAINT fk_unquoted_cat FOREIGN KEY (unquoted_cat_id) REFERENCES categories (id)
);
