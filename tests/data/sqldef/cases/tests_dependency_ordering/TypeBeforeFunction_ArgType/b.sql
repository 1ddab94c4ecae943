CREATE TYPE priority AS ENUM ('low', 'medium', 'high');
CREATE FUNCTION classify_priority(p priority) RETURNS priority AS $$ BEGIN RETURN p; END; $$ LANGUAGE plpgsql IMMUTABLE;
