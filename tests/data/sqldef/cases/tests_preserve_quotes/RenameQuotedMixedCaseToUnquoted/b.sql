CREATE TABLE users (
  id int,
  username text -- @renamed from="UserName"
);
