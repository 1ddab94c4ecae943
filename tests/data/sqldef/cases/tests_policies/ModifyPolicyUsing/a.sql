CREATE TABLE users (id BIGINT PRIMARY KEY, name character varying(100));
CREATE POLICY p_users ON users AS RESTRICTIVE FOR ALL TO postgres USING (id = (current_user)::integer);
