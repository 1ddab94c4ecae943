CREATE TABLE "status" (
  "id" bigint NOT NULL
);
COMMENT ON COLUMN "status"."id" IS NULL;
