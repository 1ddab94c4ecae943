CREATE TABLE users (
  id bigint PRIMARY KEY,
  active boolean NOT NULL
);
CREATE VIEW active_users AS
WITH recent_users AS (
  SELECT id FROM users WHERE active = true
)
SELECT id FROM recent_users;
