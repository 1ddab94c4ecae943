CREATE TABLE users (
  id bigint NOT NULL,
  username text,
  age integer
);
