CREATE TABLE exclude_example (
  name varchar(255),
  event_start tstzrange NOT NULL,
  event_end tstzrange NOT NULL
);
ALTER TABLE exclude_example ADD CONSTRAINT ex2 EXCLUDE USING gist (event_start WITH &&, event_end WITH &&);
