CREATE TABLE users (
  id int,
  "StartDate" date,
  end_date date,
  CONSTRAINT date_order CHECK ("StartDate" < end_date)
);
