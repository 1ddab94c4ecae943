CREATE TABLE users (id int, name text);
