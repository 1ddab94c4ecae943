CREATE TABLE users ("UserId" int);
