CREATE TABLE users (
  is_active BOOLEAN
);
