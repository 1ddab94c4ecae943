CREATE TABLE matrices (
  id serial PRIMARY KEY,
  matrix_2d int[][] DEFAULT ARRAY[]::int[],
  matrix_3d text[][][] DEFAULT ARRAY[]::text[]
);
