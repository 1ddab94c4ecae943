CREATE TABLE matrices (
  id serial PRIMARY KEY
);
