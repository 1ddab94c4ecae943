CREATE TABLE "UserProfiles" (id int);
COMMENT ON TABLE "UserProfiles" IS 'Old comment';
