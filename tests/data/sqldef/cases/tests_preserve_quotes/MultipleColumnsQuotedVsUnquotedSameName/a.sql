CREATE TABLE users (
  id int,
  "Name" text,
  name text
);
