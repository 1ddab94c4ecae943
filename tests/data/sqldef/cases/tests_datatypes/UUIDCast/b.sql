CREATE TABLE public.test_table (
  "id" uuid NOT NULL,
  "tenant_id" uuid NOT NULL,
  PRIMARY KEY ("id", "tenant_id")
);
CREATE POLICY tenant_isolation_policy ON test_table AS PERMISSIVE FOR ALL TO public
USING (current_schema()::uuid = current_database()::uuid);
