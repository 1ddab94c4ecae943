CREATE TYPE status_type AS ENUM ('active', 'inactive');
