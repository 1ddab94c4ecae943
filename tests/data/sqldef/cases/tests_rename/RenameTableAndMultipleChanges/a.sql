CREATE TABLE old_accounts (
  id bigint NOT NULL,
  user_name varchar(50),
  is_active boolean,
  old_field text
);
