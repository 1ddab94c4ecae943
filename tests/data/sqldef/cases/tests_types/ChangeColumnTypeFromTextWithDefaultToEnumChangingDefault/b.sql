CREATE TYPE item_status AS ENUM ('active', 'inactive', 'pending');
CREATE TABLE items (
  id bigint NOT NULL PRIMARY KEY,
  status item_status NOT NULL DEFAULT 'pending'
);
