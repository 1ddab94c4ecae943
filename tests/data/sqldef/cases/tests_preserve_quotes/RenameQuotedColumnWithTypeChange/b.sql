CREATE TABLE users (
  id int,
  username text NOT NULL -- @renamed from="UserName"
);
