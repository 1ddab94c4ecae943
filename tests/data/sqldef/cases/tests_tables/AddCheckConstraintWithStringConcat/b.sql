CREATE TABLE t (
  s text NOT NULL,
  CONSTRAINT s_prefixed CHECK (length(s || '_suffix') > 7)
);
