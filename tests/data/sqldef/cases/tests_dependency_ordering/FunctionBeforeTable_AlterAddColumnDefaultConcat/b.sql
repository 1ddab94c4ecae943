CREATE TABLE accounts (
  id bigint NOT NULL PRIMARY KEY,
  public_id text NOT NULL DEFAULT ('acc_' || new_id())
);
CREATE FUNCTION new_id() RETURNS text AS $$ BEGIN RETURN md5(random()::text); END; $$ LANGUAGE plpgsql VOLATILE;
