CREATE TABLE users (id int, "UserName" text CHECK (LENGTH("UserName") > 0));
