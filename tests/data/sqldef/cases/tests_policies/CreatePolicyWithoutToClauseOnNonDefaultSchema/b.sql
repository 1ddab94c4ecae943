CREATE SCHEMA app;
CREATE TABLE app.accounts (id BIGINT PRIMARY KEY, tenant_id BIGINT);
CREATE POLICY p_accounts ON app.accounts
USING (tenant_id::text = current_setting('app.tenant_id', true)::text)
WITH CHECK (tenant_id::text = current_setting('app.tenant_id', true)::text);
