CREATE TABLE users (id bigint);
CREATE POLICY p_users ON users AS RESTRICTIVE FOR ALL TO postgres USING (true);
