CREATE TABLE events (
  id bigint NOT NULL,
  created_at timestamp,
  CONSTRAINT events_tz_check CHECK ((created_at AT TIME ZONE 'utc') < now())
);
