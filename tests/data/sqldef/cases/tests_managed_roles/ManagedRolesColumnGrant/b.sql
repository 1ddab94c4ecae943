CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  f_secret VARCHAR(100),
  f_public VARCHAR(100)
);
GRANT SELECT (f_public, id) ON TABLE users TO readonly_user;
