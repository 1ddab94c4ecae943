CREATE TABLE users (
  id int,
  "Name" text NOT NULL,
  name text NOT NULL
);
