CREATE TABLE users (
  id bigint NOT NULL,
  foobar text, -- @renamed from="foo bar"
  age integer
);
