CREATE TABLE users (
  id bigint NOT NULL,
  user_name varchar(100) NOT NULL UNIQUE, -- @renamed from=username
  age integer
);
