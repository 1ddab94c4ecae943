CREATE TABLE users (
  id INT PRIMARY KEY
);
CREATE TABLE emails (
  user_id INT NOT NULL,
  local_part VARCHAR(100) NOT NULL,
  domain VARCHAR(100) NOT NULL,
  lower_address TEXT GENERATED ALWAYS AS (LOWER(local_part || '@' || domain)) STORED NOT NULL,
  PRIMARY KEY (domain, local_part),
  CONSTRAINT user_fk FOREIGN KEY (user_id) REFERENCES users(id)
);
