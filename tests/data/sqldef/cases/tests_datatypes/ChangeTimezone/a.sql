CREATE TABLE test (
  timestamp_at1 timestamp with time zone NOT NULL,
  timestamp_at2 timestamp with time zone NOT NULL,
  timestamp_at3 timestamp NOT NULL,
  timestamp_at4 timestamp WITHOUT TIME ZONE NOT NULL,
  time_at1 time WITH TIME ZONE NOT NULL,
  time_at2 time WITH TIME ZONE NOT NULL,
  time_at3 time NOT NULL,
  time_at4 time WITHOUT TIME ZONE NOT NULL
);
