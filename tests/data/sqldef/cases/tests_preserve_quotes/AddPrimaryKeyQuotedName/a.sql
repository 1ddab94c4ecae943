CREATE TABLE "Users" ("UserId" int);
