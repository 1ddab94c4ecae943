CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  f_secret VARCHAR(100)
);
GRANT INSERT ON TABLE users TO app_user;
GRANT SELECT (id) ON TABLE users TO app_user;
