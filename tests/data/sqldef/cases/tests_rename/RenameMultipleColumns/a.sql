CREATE TABLE users (
  id bigint NOT NULL,
  "user name" text,
  "email@address" varchar(100),
  age integer
);
