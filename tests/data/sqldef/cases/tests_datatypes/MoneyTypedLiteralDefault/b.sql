CREATE TABLE m (
  id integer,
  price money DEFAULT money '1.00'
);
