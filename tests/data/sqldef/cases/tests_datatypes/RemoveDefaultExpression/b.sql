CREATE EXTENSION "uuid-ossp";
CREATE TABLE users (
  id bigint NOT NULL,
  "key" uuid NOT NULL
);
