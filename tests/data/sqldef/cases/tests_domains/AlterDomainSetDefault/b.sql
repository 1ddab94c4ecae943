CREATE DOMAIN status_code AS integer DEFAULT 200;
