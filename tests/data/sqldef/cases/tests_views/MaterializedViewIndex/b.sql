CREATE TABLE IF NOT EXISTS points (
    id          BIGINT        PRIMARY KEY,
    tenant_id   BIGINT        NOT NULL,
    user_id     VARCHAR(100)  NOT NULL,
    point_type  SMALLINT      NOT NULL,
    point_value SMALLINT      NOT NULL,
    created_at  TIMESTAMP     NOT NULL,
    updated_at  TIMESTAMP     NOT NULL
);
CREATE INDEX points_idx ON points (tenant_id, user_id, point_type);
CREATE MATERIALIZED VIEW IF NOT EXISTS points_view AS
    SELECT * FROM points
    WHERE id IN (SELECT MAX(id) AS id
        FROM points
        GROUP BY point_type, user_id);
CREATE INDEX points_view_idx ON points_view (tenant_id);
