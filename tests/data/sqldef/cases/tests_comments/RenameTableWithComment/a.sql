CREATE TABLE old_users (
  id bigint NOT NULL
);
COMMENT ON TABLE old_users IS 'Users table';
