CREATE TABLE test (
  id integer,
  CONSTRAINT test_pkey PRIMARY KEY (id)
);
