CREATE TYPE order_state AS ENUM ('pending', 'shipped');
