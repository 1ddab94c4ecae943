CREATE TABLE events (
  id bigint NOT NULL,
  created_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);
