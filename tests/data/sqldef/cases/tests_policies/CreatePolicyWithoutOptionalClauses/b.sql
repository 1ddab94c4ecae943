CREATE TABLE users (id BIGINT PRIMARY KEY, tenant_id BIGINT);
CREATE POLICY p_users ON users USING (tenant_id::text = current_setting('app.tenant_id', true)::text) WITH CHECK (tenant_id::text = current_setting('app.tenant_id', true)::text);
