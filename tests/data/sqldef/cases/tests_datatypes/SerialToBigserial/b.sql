CREATE TABLE users (
  id bigserial NOT NULL
);
