CREATE DOMAIN "PositiveInt" AS int CHECK (VALUE > 0);
CREATE TABLE users (id "PositiveInt", score "PositiveInt");
