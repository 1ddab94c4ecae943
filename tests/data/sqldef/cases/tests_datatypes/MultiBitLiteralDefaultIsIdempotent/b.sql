CREATE TABLE flags (
  id serial PRIMARY KEY,
  mask bit(8) DEFAULT b'00011111'
);
