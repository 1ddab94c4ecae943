CREATE TABLE exclude_example (
  name varchar(255),
  CONSTRAINT ex1 EXCLUDE (name WITH =)
);
