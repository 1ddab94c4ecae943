CREATE TYPE priority AS ENUM (
  'minor', -- @renamed from=low
  'high'
);
