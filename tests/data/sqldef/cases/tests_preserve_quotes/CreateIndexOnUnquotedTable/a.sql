CREATE TABLE Users (id int);
