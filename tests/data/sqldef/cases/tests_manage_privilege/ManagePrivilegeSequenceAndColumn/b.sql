CREATE TABLE counters (
  id BIGINT PRIMARY KEY,
  n SERIAL,
  f_secret VARCHAR(100)
);
GRANT USAGE ON SEQUENCE counters_n_seq TO app_user;
GRANT SELECT (id) ON TABLE counters TO app_user;
