CREATE TABLE users (
  id bigint NOT NULL,
  special_column text NOT NULL, -- @renamed from="special.column"
  age integer
);
