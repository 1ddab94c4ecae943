CREATE TABLE users (
  id serial PRIMARY KEY,
  name varchar(100) NOT NULL
);
COMMENT ON COLUMN users.name IS 'User name';
