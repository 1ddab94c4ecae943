CREATE TABLE users (id int);
CREATE VIEW "ActiveUsers" AS SELECT id FROM users;
