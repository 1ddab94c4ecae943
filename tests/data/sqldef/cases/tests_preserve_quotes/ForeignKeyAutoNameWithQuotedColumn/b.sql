CREATE TABLE categories (id int PRIMARY KEY);
CREATE TABLE products (
  id int PRIMARY KEY,
  "CategoryId" int REFERENCES categories (id)
);
