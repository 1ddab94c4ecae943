CREATE TABLE users (
  id serial NOT NULL
);
