CREATE TABLE t (
  s text NOT NULL
);
