CREATE TABLE users (
  id int,
  "FirstName" text,
  last_name text
);
