CREATE DOMAIN status_code AS integer;
