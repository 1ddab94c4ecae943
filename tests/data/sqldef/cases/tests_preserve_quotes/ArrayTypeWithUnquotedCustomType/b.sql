CREATE TYPE userrole AS ENUM ('admin', 'user');
CREATE TABLE users (id int, roles userrole[]);
