CREATE TABLE items (
  id bigint NOT NULL PRIMARY KEY,
  status text NOT NULL DEFAULT 'active'
);
