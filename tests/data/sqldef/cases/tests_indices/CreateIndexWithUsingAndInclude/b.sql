CREATE TABLE users (
  id serial,
  email text,
  name text,
  created_at timestamp
);
CREATE INDEX idx_email_include_name ON users USING btree (email) INCLUDE (name);
