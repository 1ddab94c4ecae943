DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_role') THEN
        CREATE ROLE app_role;
    END IF;
END $$;

CREATE DOMAIN email_address AS text;

GRANT USAGE ON TYPE email_address TO app_role;
