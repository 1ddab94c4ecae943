CREATE TABLE users (id bigint NOT NULL, name text);
