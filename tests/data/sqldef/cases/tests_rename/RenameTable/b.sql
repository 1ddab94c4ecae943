CREATE TABLE users ( -- @renamed from=user_accounts
  id bigint NOT NULL,
  username text,
  age integer
);
