CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100)
);
GRANT ALL PRIVILEGES ON TABLE "public"."users" TO "admin_role";
