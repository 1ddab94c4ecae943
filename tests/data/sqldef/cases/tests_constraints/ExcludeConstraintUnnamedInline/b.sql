CREATE TABLE exclude_example (
  name varchar(255),
  event_start tstzrange NOT NULL,
  event_end tstzrange NOT NULL,
  EXCLUDE USING gist (event_start WITH &&, event_end WITH &&)
);
