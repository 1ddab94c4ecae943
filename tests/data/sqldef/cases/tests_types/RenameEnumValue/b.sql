CREATE TYPE status AS ENUM (
  'active',
  'waiting' /* @renamed from=pending */,
  'inactive'
);
