CREATE TABLE users (
  id BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(128),
  email VARCHAR(255)
);
CREATE INDEX idx_users_name ON users (name);
CREATE INDEX idx_users_email ON users (email);
