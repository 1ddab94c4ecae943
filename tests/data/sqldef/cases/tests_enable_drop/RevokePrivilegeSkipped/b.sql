CREATE TABLE users (id bigint);
GRANT SELECT ON TABLE users TO app_user;
