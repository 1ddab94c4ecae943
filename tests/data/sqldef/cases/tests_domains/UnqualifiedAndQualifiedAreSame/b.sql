CREATE DOMAIN public.email AS text;
