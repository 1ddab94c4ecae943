CREATE TABLE activities (
  occurred_at timestamp
);
CREATE MATERIALIZED VIEW activity_dates AS
  SELECT date(occurred_at) AS activity_date
  FROM activities;
