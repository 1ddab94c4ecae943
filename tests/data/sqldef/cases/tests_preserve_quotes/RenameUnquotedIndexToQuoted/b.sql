CREATE TABLE users (
  id int,
  email text
);
CREATE INDEX "EmailIndex" /* @renamed from=email_idx */ ON users (email);
