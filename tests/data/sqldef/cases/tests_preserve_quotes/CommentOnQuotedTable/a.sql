CREATE TABLE "UserAccounts" (id int);
