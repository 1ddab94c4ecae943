CREATE TABLE users (
  first_name text NOT NULL,
  middle_name text,
  last_name text NOT NULL,
  full_name text GENERATED ALWAYS AS (
    COALESCE(first_name || ' ' || middle_name || ' ', first_name || ' ') || last_name
  ) STORED
);
