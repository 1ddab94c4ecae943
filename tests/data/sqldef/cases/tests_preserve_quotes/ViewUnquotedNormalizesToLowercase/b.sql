CREATE TABLE users (id int, name text);
CREATE VIEW ActiveUsers AS SELECT id FROM users;
