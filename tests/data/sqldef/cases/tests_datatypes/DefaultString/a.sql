CREATE TABLE some_table (
  v0 TEXT DEFAULT 'foo',
  v1 TEXT DEFAULT 'BAR'
);
