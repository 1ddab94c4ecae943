CREATE TABLE tttttttttttttttttttttttttttttt (
  aaaaaaaaaaaaaaaaaaaaaaaaaaaa_x integer CHECK (aaaaaaaaaaaaaaaaaaaaaaaaaaaa_x > 0),
  aaaaaaaaaaaaaaaaaaaaaaaaaaaa_y integer CHECK (aaaaaaaaaaaaaaaaaaaaaaaaaaaa_y > 0)
);
