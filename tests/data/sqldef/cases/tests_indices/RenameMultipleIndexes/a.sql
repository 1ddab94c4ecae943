CREATE TABLE users (
  id bigint NOT NULL,
  email varchar(255),
  username varchar(100)
);
CREATE INDEX idx_email ON users (email);
CREATE INDEX idx_username ON users (username);
