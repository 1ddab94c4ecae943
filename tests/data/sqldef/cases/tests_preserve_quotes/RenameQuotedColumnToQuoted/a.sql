CREATE TABLE users (
  id int,
  "OldName" text
);
