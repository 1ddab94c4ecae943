CREATE TABLE users (
  id bigint NOT NULL,
  email varchar(255),
  username varchar(100),
  CONSTRAINT old_unique_email UNIQUE (email)
);
