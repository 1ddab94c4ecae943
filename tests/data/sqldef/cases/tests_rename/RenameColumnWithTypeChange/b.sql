CREATE TABLE users (
  id bigint NOT NULL,
  user_name text NOT NULL, -- @renamed from=username
  age integer
);
