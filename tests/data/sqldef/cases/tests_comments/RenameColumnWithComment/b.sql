CREATE TABLE users (
  id bigint NOT NULL,
  user_name text -- @renamed from=username
);
COMMENT ON COLUMN users.user_name IS 'user name column';
