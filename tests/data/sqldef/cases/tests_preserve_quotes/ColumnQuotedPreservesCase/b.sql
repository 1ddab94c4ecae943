CREATE TABLE users ("Name" text NOT NULL);
