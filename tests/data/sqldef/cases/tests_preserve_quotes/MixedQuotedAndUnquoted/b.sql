CREATE TABLE "Users" ("Name" text);
CREATE TABLE users (name text);
