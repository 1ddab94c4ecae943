CREATE TABLE users (id bigint NOT NULL, name text);
CREATE VIEW users_view AS SELECT id, name FROM users;
