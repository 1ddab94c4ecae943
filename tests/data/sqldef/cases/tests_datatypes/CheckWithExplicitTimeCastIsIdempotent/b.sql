CREATE TABLE samples (
  id bigserial PRIMARY KEY,
  start_at time NOT NULL,
  CHECK (start_at >= '00:00:00'::time)
);
