CREATE TABLE users (
  id bigint NOT NULL,
  column_with_underscore varchar(50), -- @renamed from="column-with-dash"
  age integer
);
