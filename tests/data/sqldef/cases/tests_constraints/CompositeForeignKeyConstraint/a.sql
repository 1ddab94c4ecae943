CREATE TABLE t1 (
  id1 int not null,
  id2 int not null,
  PRIMARY KEY (id1, id2)
);
CREATE TABLE t2 (
  id1 int not null,
  id2 int not null,
  PRIMARY KEY (id1, id2)
);
