CREATE TABLE foo (
    id bigint PRIMARY KEY
);
