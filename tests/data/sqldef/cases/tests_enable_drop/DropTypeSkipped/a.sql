CREATE TYPE status AS ENUM ('active', 'inactive');
