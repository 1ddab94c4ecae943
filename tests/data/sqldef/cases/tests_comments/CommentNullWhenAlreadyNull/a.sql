CREATE TABLE "status" (
  "id" bigint NOT NULL
);
