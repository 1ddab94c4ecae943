CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
