CREATE TABLE "public"."test_table" (
  "id" bigint NOT NULL,
  "type" character varying(10)
);
CREATE VIEW public.test_view AS SELECT test_table.id, test_table."type" FROM test_table;
