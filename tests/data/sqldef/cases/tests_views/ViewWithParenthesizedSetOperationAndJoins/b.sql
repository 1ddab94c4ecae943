CREATE TABLE a (id bigint, name text);
CREATE TABLE b (id bigint, name text);
CREATE TABLE x (id bigint);
CREATE VIEW v AS SELECT * FROM (
  (SELECT a.id, a.name FROM a JOIN x USING (id))
  UNION ALL
  (SELECT b.id, b.name FROM b JOIN x USING (id))
) t;
