CREATE TABLE "userTable" (
    id uuid NOT NULL,
    "firstName" text,
    "lastName" text
);
ALTER TABLE "public"."userTable" ADD CONSTRAINT "uq:fullName" UNIQUE ("firstName", "lastName");
