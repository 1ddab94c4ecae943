CREATE TABLE users (id int, email text, name text);
CREATE INDEX "EmailIndex" ON users (email);
