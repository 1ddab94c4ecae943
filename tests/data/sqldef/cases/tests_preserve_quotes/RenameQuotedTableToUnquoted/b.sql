CREATE TABLE user_accounts ( -- @renamed from="UserAccounts"
  id int,
  name text
);
