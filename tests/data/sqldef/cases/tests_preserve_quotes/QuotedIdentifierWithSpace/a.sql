CREATE TABLE "User Profiles" (id int);
