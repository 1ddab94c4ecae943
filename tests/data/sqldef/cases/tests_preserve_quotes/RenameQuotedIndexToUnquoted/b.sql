CREATE TABLE users (
  id int,
  email text
);
CREATE INDEX email_idx /* @renamed from="EmailIndex" */ ON users (email);
