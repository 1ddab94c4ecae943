CREATE TABLE users (id int, "Email" text CHECK (LENGTH(UPPER("Email")) > 0));
