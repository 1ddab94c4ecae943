CREATE TABLE "UserProfiles" (
  "UserId" int,
  user_name text
);
