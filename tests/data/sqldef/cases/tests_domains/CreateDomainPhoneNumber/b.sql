CREATE DOMAIN us_phone AS text
  CHECK (VALUE ~ '^\d{3}-\d{3}-\d{4}$' OR VALUE ~ '^\(\d{3}\) \d{3}-\d{4}$');
