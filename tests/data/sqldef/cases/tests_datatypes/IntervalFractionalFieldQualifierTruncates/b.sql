CREATE TABLE m (
  id integer,
  y interval DEFAULT interval '1.5' year,
  h interval DEFAULT interval '1.5' hour
);
