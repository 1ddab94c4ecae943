CREATE TABLE users (id BIGINT PRIMARY KEY, name character varying(100));
