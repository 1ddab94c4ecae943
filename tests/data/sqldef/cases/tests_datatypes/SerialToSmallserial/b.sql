CREATE TABLE users (
  id smallserial NOT NULL
);
