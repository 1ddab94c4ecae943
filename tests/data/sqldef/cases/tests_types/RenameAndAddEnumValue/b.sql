CREATE TYPE workflow AS ENUM (
  'active',
  'waiting' /* @renamed from=pending */,
  'archived'
);
