CREATE TABLE categories (
  category_id int PRIMARY KEY,
  name VARCHAR(100)
);
CREATE TABLE products (
  product_id int PRIMARY KEY,
  category_id int,
  name VARCHAR(100),
  CONSTRAINT products_category_fk FOREIGN KEY (category_id)
    REFERENCES categories (category_id) ON DELETE CASCADE ON UPDATE CASCADE
);
