CREATE TABLE old_users (
  id bigint NOT NULL,
  name text
);
