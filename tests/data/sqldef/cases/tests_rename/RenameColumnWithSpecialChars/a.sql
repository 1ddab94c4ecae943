CREATE TABLE users (
  id bigint NOT NULL,
  "column-with-dash" varchar(50),
  age integer
);
