CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE item_status AS ENUM ('active', 'inactive');
CREATE TABLE items (
  id bigint NOT NULL PRIMARY KEY,
  status_text item_status NOT NULL,
  status_varchar item_status NOT NULL,
  status_citext item_status NOT NULL,
  status_name item_status NOT NULL
);
