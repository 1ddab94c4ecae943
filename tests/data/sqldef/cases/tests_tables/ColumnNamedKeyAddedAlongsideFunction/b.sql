CREATE OR REPLACE FUNCTION set_updated_at() RETURNS TRIGGER AS $$
BEGIN NEW.updated_at = CURRENT_TIMESTAMP; RETURN NEW; END;
$$ LANGUAGE plpgsql;
CREATE TABLE users (
  id bigint NOT NULL,
  key text NOT NULL,
  PRIMARY KEY (id, key)
);
