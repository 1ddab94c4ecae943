CREATE TABLE flags (
  id serial PRIMARY KEY,
  mask bit(8) DEFAULT x'1F',
  nibble bit(4) DEFAULT x'A'
);
