CREATE TABLE "User Profiles" (id int, "Full Name" text);
