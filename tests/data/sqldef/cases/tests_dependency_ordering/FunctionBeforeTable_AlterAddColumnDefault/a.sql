CREATE TABLE items (
  id bigint NOT NULL PRIMARY KEY
);
