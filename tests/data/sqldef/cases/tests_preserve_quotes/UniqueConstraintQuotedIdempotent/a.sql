CREATE TABLE "Products" (
  id int PRIMARY KEY,
  "ProductCode" text UNIQUE
);
