CREATE TABLE counters (
  id BIGINT PRIMARY KEY,
  n SERIAL
);
GRANT USAGE ON SEQUENCE counters_n_seq TO app_user;
