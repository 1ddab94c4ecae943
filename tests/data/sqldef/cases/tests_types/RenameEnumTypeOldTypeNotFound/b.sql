CREATE TYPE order_status /* @renamed from=missing_state */ AS ENUM ('pending', 'shipped');
