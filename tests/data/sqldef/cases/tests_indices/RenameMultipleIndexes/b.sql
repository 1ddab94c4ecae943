CREATE TABLE users (
  id bigint NOT NULL,
  email varchar(255),
  username varchar(100)
);
CREATE INDEX email_idx /* @renamed from=idx_email */ ON users (email);
CREATE INDEX username_idx /* @renamed from=idx_username */ ON users (username);
