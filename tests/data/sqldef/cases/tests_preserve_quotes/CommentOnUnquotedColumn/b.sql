CREATE TABLE users (id int, UserName text);
COMMENT ON COLUMN users.UserName IS 'User display name';
