CREATE TABLE users (
  id bigint NOT NULL,
  key text NOT NULL,
  PRIMARY KEY (id, key)
);
