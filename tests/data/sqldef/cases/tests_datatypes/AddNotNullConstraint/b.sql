CREATE TABLE users (
  name text NOT NULL
);
