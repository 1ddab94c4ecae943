CREATE TABLE users (
  id bigint NOT NULL,
  email varchar(255)
);
