CREATE TABLE users (email text);
CREATE INDEX idx_email_lower ON users (LOWER(email));
