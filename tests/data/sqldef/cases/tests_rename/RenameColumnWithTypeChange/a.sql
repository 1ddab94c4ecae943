CREATE TABLE users (
  id bigint NOT NULL,
  username varchar(100),
  age integer
);
