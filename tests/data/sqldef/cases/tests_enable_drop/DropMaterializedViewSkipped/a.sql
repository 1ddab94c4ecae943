CREATE TABLE users (id bigint NOT NULL, name text);
CREATE MATERIALIZED VIEW users_mat AS SELECT id, name FROM users;
