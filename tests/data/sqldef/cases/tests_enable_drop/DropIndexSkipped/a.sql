CREATE TABLE users (
  id bigint NOT NULL,
  email varchar(255)
);
CREATE INDEX idx_email ON users (email);
