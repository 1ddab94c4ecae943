CREATE TABLE users (
  id bigint NOT NULL,
  user_name text, -- @renamed from=username
  age integer
);
