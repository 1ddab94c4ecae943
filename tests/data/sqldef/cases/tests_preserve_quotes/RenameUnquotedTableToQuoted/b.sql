CREATE TABLE "UserAccounts" ( -- @renamed from=user_accounts
  id int,
  name text
);
