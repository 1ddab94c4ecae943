CREATE TYPE order_status AS /* @renamed from=order_state */ ENUM ('pending', 'shipped');
