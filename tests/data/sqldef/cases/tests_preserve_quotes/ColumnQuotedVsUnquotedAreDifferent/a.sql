CREATE TABLE users ("Name" text, name text);
