CREATE TABLE users (
  id int,
  email text,
  CONSTRAINT users_email_key UNIQUE (email)
);
