CREATE TYPE UserStatus AS ENUM ('active', 'inactive');
CREATE TABLE users (id int, status userstatus);
