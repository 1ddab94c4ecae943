CREATE TABLE posts (
  id bigint NOT NULL,
  comment text,
  PRIMARY KEY (id)
);
