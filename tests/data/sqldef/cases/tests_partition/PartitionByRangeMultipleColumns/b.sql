CREATE TABLE events (
  id bigint NOT NULL,
  event_year int NOT NULL,
  event_month int NOT NULL
) PARTITION BY RANGE (event_year, event_month);
