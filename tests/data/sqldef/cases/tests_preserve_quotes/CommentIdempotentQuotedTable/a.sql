CREATE TABLE "UserData" (id int);
COMMENT ON TABLE "UserData" IS 'Same comment';
