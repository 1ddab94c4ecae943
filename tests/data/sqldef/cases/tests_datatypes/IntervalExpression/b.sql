CREATE TABLE points (id bigint, created_at timestamp, main_type text, sub_type text, user_id bigint);
CREATE MATERIALIZED VIEW IF NOT EXISTS points_view AS
SELECT * FROM points
WHERE id IN (
  SELECT MAX(id) AS id
  FROM points
  WHERE to_timestamp(concat(to_char(current_date - INTERVAL '1 YEAR' + INTERVAL '1 DAY', 'YYYY-MM-DD'), ' 00:00:00'), 'YYYY-MM-DD HH24:MI:SS') < created_at
  AND created_at <= to_timestamp(concat(to_char(current_date, 'YYYY-MM-DD'), ' 23:59:59'), 'YYYY-MM-DD HH24:MI:SS')
  GROUP BY main_type, sub_type, user_id
);
