CREATE TYPE schema1.lang AS ENUM (
  'ja',
  'en'
);
CREATE TYPE schema2.lang AS ENUM (
  'ja',
  'en',
  'de'
);
