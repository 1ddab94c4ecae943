CREATE TABLE items (
  v0 float DEFAULT - 20,
  v1 float DEFAULT -3.14,
  v6 float DEFAULT -20,
  v7 decimal(5, 2) DEFAULT -20.0,
  v8 decimal(5, 2) DEFAULT 20.0,
  v9 decimal(5, 2) DEFAULT 0.0,
  v10 decimal(10, 4) DEFAULT 0.001,
  v11 decimal(10, 4) DEFAULT -0.001
);
