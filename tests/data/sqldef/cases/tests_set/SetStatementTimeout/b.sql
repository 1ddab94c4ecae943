SET statement_timeout = 0;
CREATE TABLE users (id bigint NOT NULL);
