CREATE TABLE users (
  "Email" text,
  "Username" text,
  CONSTRAINT unique_email UNIQUE ("Email")
);
