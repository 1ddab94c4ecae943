CREATE TABLE users (
  id uuid PRIMARY KEY,
  event_time TIMETZ NOT NULL
);
