CREATE DOMAIN email AS text;
COMMENT ON DOMAIN email IS 'Email address domain';
