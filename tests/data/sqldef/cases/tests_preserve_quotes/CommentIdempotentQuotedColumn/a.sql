CREATE TABLE users (id int, "FullName" text);
COMMENT ON COLUMN users."FullName" IS 'Full name of user';
