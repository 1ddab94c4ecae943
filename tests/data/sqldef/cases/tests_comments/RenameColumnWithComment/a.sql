CREATE TABLE users (
  id bigint NOT NULL,
  username text
);
COMMENT ON COLUMN users.username IS 'user name';
