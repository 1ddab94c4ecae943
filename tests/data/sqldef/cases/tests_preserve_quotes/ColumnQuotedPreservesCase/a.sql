CREATE TABLE users ("Name" text);
