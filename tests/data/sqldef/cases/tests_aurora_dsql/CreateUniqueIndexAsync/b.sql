CREATE TABLE users (id bigint, email text);
CREATE UNIQUE INDEX ASYNC idx_users_email ON users (email);
