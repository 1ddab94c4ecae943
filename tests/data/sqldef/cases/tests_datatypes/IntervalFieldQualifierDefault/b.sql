CREATE TABLE m (
  id integer,
  ttl_year interval DEFAULT interval '1' year,
  ttl_day interval DEFAULT interval '1' day,
  ttl_min interval DEFAULT interval '90' minute
);
