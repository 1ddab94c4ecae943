CREATE TABLE users (
  id bigint NOT NULL,
  "special.column" text NOT NULL,
  age integer
);
