CREATE TABLE "UserAccounts" (id int);
COMMENT ON TABLE "UserAccounts" IS 'User accounts table';
