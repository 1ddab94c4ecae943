CREATE TABLE "Users" (id int);
CREATE TABLE users (id int);
COMMENT ON TABLE "Users" IS 'Quoted Users table';
COMMENT ON TABLE users IS 'Unquoted users table';
