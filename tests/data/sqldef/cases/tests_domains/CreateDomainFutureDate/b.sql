CREATE DOMAIN scheduled_date AS timestamp
  CHECK (VALUE >= CURRENT_TIMESTAMP);
