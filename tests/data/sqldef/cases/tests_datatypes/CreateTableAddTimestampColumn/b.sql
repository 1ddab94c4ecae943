CREATE TABLE users (
  id bigint NOT NULL,
  name text,
  age integer,
  timestamp_with_tz timestamp WITH TIME ZONE,
  timestamp_without_tz timestamp WITHOUT TIME ZONE
);
