CREATE TABLE logs (
  id bigint NOT NULL,
  created_at timestamp NOT NULL
) PARTITION BY RANGE (created_at);
CREATE TABLE logs_2024_01 PARTITION OF logs
  FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
