CREATE TABLE user_accounts (
  id bigint NOT NULL,
  username text,
  age integer
);
