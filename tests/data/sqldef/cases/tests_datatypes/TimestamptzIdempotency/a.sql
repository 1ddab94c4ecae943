CREATE TABLE users (
  id uuid PRIMARY KEY,
  create_time timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
);
