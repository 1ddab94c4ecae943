CREATE VIEW foos_view AS SELECT id, secret FROM foos WHERE secret = false;
CREATE TABLE foos (
  id bigint PRIMARY KEY,
  secret boolean NOT NULL DEFAULT false
);
