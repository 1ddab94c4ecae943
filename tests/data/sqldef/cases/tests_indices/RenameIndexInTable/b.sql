CREATE TABLE users (
  id bigint NOT NULL,
  email varchar(255),
  username varchar(100),
  CONSTRAINT unique_email UNIQUE (email) -- @renamed from=old_unique_email
);
