CREATE TABLE "public"."hoge" (
  "id" bigserial NOT NULL,
  "foo" text NOT NULL DEFAULT ''::text,
  PRIMARY KEY ("id")
);
