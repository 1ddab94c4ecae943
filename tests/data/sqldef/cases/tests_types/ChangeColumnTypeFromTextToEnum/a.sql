CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE items (
  id bigint NOT NULL PRIMARY KEY,
  status_text text NOT NULL,
  status_varchar varchar(20) NOT NULL,
  status_citext citext NOT NULL,
  status_name name NOT NULL
);
