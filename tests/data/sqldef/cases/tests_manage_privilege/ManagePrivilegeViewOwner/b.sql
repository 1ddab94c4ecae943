CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100)
);
CREATE VIEW v_users AS SELECT id FROM users;
ALTER TABLE v_users OWNER TO app_user;
