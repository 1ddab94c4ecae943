CREATE TABLE bookings (
  start_date date NOT NULL,
  end_date date NOT NULL,
  CHECK ((start_date, end_date) OVERLAPS (start_date, end_date))
);
