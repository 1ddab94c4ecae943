CREATE TABLE users (id int, "UserName" text);
CREATE INDEX username_lower_idx ON users (LOWER("UserName"));
