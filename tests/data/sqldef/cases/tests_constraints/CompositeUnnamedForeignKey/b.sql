CREATE TABLE tenants (
  id BIGINT NOT NULL PRIMARY KEY
);

CREATE TABLE users (
  tenant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  name VARCHAR(255) NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE posts (
  id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  author_id BIGINT NOT NULL,
  title VARCHAR(255) NOT NULL,
  FOREIGN KEY (tenant_id, author_id) REFERENCES users(tenant_id, user_id)
);
