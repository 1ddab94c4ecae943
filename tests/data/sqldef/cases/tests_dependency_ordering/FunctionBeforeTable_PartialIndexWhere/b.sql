CREATE FUNCTION is_active(s text) RETURNS boolean AS $$ BEGIN RETURN s = 'active'; END; $$ LANGUAGE plpgsql IMMUTABLE;
CREATE TABLE subscriptions (
  id bigint NOT NULL PRIMARY KEY,
  status text NOT NULL
);
CREATE INDEX subscriptions_active_idx ON subscriptions (id) WHERE is_active(status);
