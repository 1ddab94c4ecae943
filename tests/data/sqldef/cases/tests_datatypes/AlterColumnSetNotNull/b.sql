CREATE TABLE users (
  id bigint NOT NULL,
  name varchar(100) NOT NULL,
  email varchar(255) NOT NULL
);
