CREATE TABLE test (
  id integer,
  CONSTRAINT test_pkey PRIMARY KEY (id)
);
COMMENT ON CONSTRAINT test_pkey ON test IS 'Primary key constraint';
