CREATE TABLE matrices (
  id serial PRIMARY KEY,
  matrix_2d int[][]
);
