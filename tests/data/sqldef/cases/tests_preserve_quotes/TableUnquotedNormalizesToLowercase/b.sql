CREATE TABLE Users (id int, name text);
