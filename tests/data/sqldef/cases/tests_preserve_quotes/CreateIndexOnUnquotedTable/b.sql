CREATE TABLE Users (id int);
CREATE INDEX email_idx ON Users (id);
