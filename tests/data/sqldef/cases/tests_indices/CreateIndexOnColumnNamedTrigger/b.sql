CREATE TABLE events (
  user_id bigint NOT NULL,
  trigger text NOT NULL
);
CREATE INDEX idx_trigger ON events (user_id, trigger);
