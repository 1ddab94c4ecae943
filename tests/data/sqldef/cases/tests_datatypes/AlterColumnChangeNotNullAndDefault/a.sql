CREATE TABLE users (
  id bigint NOT NULL,
  name varchar(100),
  email varchar(255) NOT NULL DEFAULT 'unknown@example.com'
);
