CREATE DOMAIN username AS text
  NOT NULL
  CHECK (length(VALUE) >= 3 AND length(VALUE) <= 50);
