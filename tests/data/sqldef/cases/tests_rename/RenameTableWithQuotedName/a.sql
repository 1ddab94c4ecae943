CREATE TABLE "user accounts" (
  id bigint NOT NULL,
  name text
);
