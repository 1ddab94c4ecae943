CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
CREATE TABLE users (
  id integer PRIMARY KEY,
  email_addr email NOT NULL
);
