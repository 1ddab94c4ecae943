CREATE TABLE "hoge" (
  "foo" text,
  "bar" text
);
CREATE VIEW v AS
SELECT
  foo,
  bar
FROM hoge;
