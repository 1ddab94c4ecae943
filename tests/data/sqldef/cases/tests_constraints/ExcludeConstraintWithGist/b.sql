CREATE TABLE exclude_example (
  event_start tstzrange NOT NULL,
  event_end tstzrange NOT NULL,
  CONSTRAINT ex1 EXCLUDE USING gist (event_start WITH &&, event_end WITH &&)
);
