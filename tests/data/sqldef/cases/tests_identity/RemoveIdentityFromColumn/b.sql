CREATE TABLE color (
  color_id INT NOT NULL,
  color_name VARCHAR NOT NULL
);
