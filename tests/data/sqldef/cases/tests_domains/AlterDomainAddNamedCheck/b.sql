CREATE DOMAIN positive_int AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
