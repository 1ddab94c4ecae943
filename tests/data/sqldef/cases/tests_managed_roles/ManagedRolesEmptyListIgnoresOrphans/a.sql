CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100)
);
GRANT SELECT ON TABLE users TO readonly_user;
