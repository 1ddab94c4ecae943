CREATE TABLE "public"."domains" (
  "id" serial NOT NULL,
  "name" character varying(255) NOT NULL CONSTRAINT c_lowercase_name CHECK (name::text = lower(name::text)),
  PRIMARY KEY ("id")
);
