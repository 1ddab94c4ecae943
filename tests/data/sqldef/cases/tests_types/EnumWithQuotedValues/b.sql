CREATE TYPE quote_type AS ENUM ('it''s', 'value with "quotes"');
