CREATE TABLE "select" (
  id bigint,
  "update" boolean
);
