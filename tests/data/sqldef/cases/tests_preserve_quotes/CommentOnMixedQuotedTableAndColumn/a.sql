CREATE TABLE "Users" (id int, "Email" text);
