CREATE TABLE posts (
  id bigint NOT NULL,
  user_id bigint NOT NULL,
  PRIMARY KEY ("id")
);
ALTER TABLE posts ADD CONSTRAINT "user_id_key" FOREIGN KEY ("user_id") REFERENCES users ("id");
CREATE TABLE users (
  id bigint NOT NULL
);
CREATE UNIQUE INDEX uniq_idx ON users (id);
