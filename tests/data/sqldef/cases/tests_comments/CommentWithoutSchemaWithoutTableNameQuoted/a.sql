CREATE TABLE users (
  id bigint,
  "update" boolean
);
