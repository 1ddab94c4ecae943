CREATE TABLE users (id integer, name text);
CREATE VIEW users_view AS SELECT * FROM users;
