CREATE TABLE m (
  id integer
);
