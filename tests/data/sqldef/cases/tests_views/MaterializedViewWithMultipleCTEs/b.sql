CREATE TABLE sessions (
  user_id text NOT NULL,
  duration double precision NOT NULL,
  started_at timestamp NOT NULL
);
CREATE MATERIALIZED VIEW user_stats AS
WITH active_users AS (
  SELECT DISTINCT user_id FROM sessions WHERE duration > 0
),
user_counts AS (
  SELECT user_id, COUNT(*) as session_count FROM sessions GROUP BY user_id
)
SELECT au.user_id, uc.session_count
FROM active_users au
JOIN user_counts uc ON au.user_id = uc.user_id;
