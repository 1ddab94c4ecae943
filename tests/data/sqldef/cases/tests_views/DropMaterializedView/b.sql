CREATE TABLE points (id bigint);
