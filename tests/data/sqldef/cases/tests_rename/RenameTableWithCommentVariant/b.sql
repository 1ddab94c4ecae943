CREATE TABLE new_users /* @renamed from=old_users */ (
  id bigint NOT NULL,
  name text
);
