CREATE DOMAIN short_description AS text
  CHECK (char_length(VALUE) >= 3 AND char_length(VALUE) <= 255);
