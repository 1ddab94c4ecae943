CREATE FUNCTION intercept_ddl() RETURNS event_trigger AS $$
BEGIN
  -- REVOKE is also mentioned here on purpose
  IF tg_tag = 'DROP TABLE' THEN
    RAISE NOTICE 'table dropped';
  END IF;
END;
$$ LANGUAGE plpgsql;
