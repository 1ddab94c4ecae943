CREATE TABLE users (
  id int,
  username text
);
