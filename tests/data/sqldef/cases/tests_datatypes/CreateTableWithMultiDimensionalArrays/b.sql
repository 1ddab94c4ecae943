CREATE TABLE matrices (
  id serial PRIMARY KEY,
  matrix_2d int[][],
  matrix_3d text[][][],
  coords double precision[][]
);
