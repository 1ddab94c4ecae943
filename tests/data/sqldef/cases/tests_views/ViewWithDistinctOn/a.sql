CREATE TABLE carrier (carrier text);
