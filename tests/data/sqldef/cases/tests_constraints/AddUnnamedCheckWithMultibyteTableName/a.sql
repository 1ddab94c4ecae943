CREATE TABLE "表表表表表表表表表表表表表表表表表表表表" (
  a integer
);
