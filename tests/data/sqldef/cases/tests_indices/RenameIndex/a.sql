CREATE TABLE users (
  id bigint NOT NULL,
  email varchar(255),
  username varchar(100)
);
CREATE INDEX old_email_idx ON users (email);
