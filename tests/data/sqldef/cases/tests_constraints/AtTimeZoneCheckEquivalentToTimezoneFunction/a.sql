CREATE TABLE events (
  id bigint NOT NULL,
  created_at timestamp,
  CONSTRAINT events_tz_check CHECK (timezone('utc', created_at) < now())
);
