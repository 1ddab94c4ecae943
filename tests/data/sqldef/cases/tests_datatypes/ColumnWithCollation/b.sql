CREATE TABLE test (
  name text COLLATE "en_US"
);
