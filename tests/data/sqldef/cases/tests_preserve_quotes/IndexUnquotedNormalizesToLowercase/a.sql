CREATE TABLE users (id int, email text);
CREATE INDEX EmailIndex ON users (email);
