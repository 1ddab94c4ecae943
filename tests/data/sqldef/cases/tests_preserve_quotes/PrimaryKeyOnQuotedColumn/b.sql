CREATE TABLE users ("UserId" int PRIMARY KEY);
