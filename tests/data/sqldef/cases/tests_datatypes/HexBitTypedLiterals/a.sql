CREATE TABLE flags (
  id serial PRIMARY KEY
);
