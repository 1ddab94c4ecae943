CREATE TABLE events (
  id bigint NOT NULL,
  created_at_text text NOT NULL DEFAULT ((now() AT TIME ZONE 'utc')::text)
);
