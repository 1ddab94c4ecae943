CREATE TYPE order_status /* @renamed from=order_state */ AS ENUM ('pending', 'shipped');
