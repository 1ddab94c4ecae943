CREATE TABLE users (
  id int,
  "Email" text,
  CONSTRAINT "users_Email_key" UNIQUE ("Email")
);
