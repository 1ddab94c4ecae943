CREATE TABLE users (id BIGINT PRIMARY KEY, name character varying(100));
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_users ON users AS PERMISSIVE FOR ALL TO PUBLIC USING (id = (current_user)::integer);
