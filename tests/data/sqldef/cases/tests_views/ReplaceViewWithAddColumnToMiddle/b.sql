CREATE TABLE "hoge" (
  "foo" text,
  "bar" text
);

CREATE VIEW v AS
SELECT
  foo,
  'x' as added,
  bar
 FROM hoge;
