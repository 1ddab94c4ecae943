CREATE TABLE users (
  id INT PRIMARY KEY,
  name TEXT NULL,
  deleted BOOLEAN NOT NULL
);
CREATE VIEW active_users AS
SELECT id, name FROM users WHERE NOT deleted;
