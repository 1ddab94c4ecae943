CREATE TABLE events (
  id serial,
  created_at timestamp
);
CREATE INDEX idx_created_at_utc ON events (created_at AT TIME ZONE 'utc');
