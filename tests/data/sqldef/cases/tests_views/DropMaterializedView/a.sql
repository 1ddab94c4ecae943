CREATE TABLE points (id bigint);
CREATE MATERIALIZED VIEW IF NOT EXISTS points_view AS
  SELECT id FROM points;
