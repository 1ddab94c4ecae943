CREATE TABLE events (
  id serial PRIMARY KEY,
  event_date date DEFAULT DATE '2024-01-01',
  event_time time DEFAULT TIME '12:00:00',
  event_timestamp timestamp DEFAULT TIMESTAMP '2024-01-01 12:00:00'
);
