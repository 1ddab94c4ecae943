CREATE TABLE x (
  a numeric
);
CREATE INDEX idx_x_a ON x (a) WHERE (a = numeric '1');
