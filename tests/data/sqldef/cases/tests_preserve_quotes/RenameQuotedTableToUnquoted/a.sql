CREATE TABLE "UserAccounts" (
  id int,
  name text
);
