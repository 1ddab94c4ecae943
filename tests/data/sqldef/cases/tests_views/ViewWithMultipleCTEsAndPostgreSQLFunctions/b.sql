CREATE TABLE products (
  id bigint PRIMARY KEY,
  release_year int NOT NULL,
  release_month int NOT NULL
);
CREATE TABLE events (
  id bigint PRIMARY KEY,
  event_date date NOT NULL
);
CREATE TABLE product_events (
  event_id bigint NOT NULL,
  product_id bigint NOT NULL,
  PRIMARY KEY (event_id, product_id)
);
CREATE VIEW v_product_summary AS
WITH
event_counts AS (
  SELECT
    p.id AS product_id,
    e.id AS event_id,
    count(DISTINCT pe.event_id) AS count_until_event
  FROM products p
  CROSS JOIN events e
  LEFT JOIN product_events pe ON p.id = pe.product_id
  GROUP BY p.id, e.id
),
release_dates AS (
  SELECT
    p.id AS product_id,
    e.id AS event_id,
    make_date(p.release_year, p.release_month, 1) AS release_date
  FROM products p
  CROSS JOIN events e
)
SELECT
  rd.product_id,
  rd.event_id,
  format('%s-%s', rd.release_date, ec.count_until_event) AS summary
FROM release_dates rd
LEFT JOIN event_counts ec ON rd.product_id = ec.product_id;
